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
 * A test class that drives a real browser: tagged {@code browser}, and run only when
 * {@link BrowserInstallation} finds Chromium and ChromeDriver. When either is missing it
 * is skipped with the reason and the install line, or fails when the browser is required
 * (CI). The condition is checked before the class's application context starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("browser")
@ExtendWith(BrowserTest.Condition.class)
public @interface BrowserTest {

	/**
	 * The check behind {@link BrowserTest}.
	 */
	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return evaluate(BrowserInstallation.current());
		}

		static ConditionEvaluationResult evaluate(BrowserInstallation installation) {
			BrowserInstallation.Verdict verdict = installation.verdict();
			return switch (verdict.outcome()) {
				case RUN -> ConditionEvaluationResult.enabled(verdict.reason());
				case SKIP -> ConditionEvaluationResult.disabled(verdict.reason());
				case FAIL -> throw new IllegalStateException(verdict.reason());
			};
		}

	}

}
