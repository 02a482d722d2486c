package io.seatkeeper;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that runs application nodes behind Debian's nginx ({@link Nginx}): tagged
 * {@code nginx}, and run only when nginx is installed. Without it the class is skipped
 * with the reason and the install line, or fails when
 * {@code SEATKEEPER_NGINX_REQUIRED=true} (CI). The condition is checked before anything
 * of the class starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("nginx")
@ExtendWith(NginxTest.Condition.class)
public @interface NginxTest {

	/**
	 * The check behind {@link NginxTest}.
	 */
	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			Nginx.Verdict verdict = Nginx.verdict(System::getProperty, System::getenv);
			return switch (verdict.outcome()) {
				case RUN -> ConditionEvaluationResult.enabled(verdict.reason());
				case SKIP -> ConditionEvaluationResult.disabled(verdict.reason());
				case FAIL -> throw new IllegalStateException(verdict.reason());
			};
		}

	}

}
