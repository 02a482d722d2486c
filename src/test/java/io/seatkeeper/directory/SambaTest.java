package io.seatkeeper.directory;

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
 * A test class that runs against the real Active Directory domain controller of
 * {@link SambaDomain}: tagged {@code samba} and {@code h2-only} (the database does not
 * matter to what it proves, so it runs once, on H2), and run only when Samba is
 * installed. Without Samba it is skipped with the reason and the install line, or fails
 * when {@code SEATKEEPER_SAMBA_REQUIRED=true} (CI). The condition is checked before the
 * class's application context starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("samba")
@Tag("h2-only")
@ExtendWith(SambaTest.Condition.class)
public @interface SambaTest {

	/**
	 * The check behind {@link SambaTest}.
	 */
	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			SambaDomain.Verdict verdict = SambaDomain.verdict(System::getProperty, System::getenv);
			return switch (verdict.outcome()) {
				case RUN -> ConditionEvaluationResult.enabled(verdict.reason());
				case SKIP -> ConditionEvaluationResult.disabled(verdict.reason());
				case FAIL -> throw new IllegalStateException(verdict.reason());
			};
		}

	}

}
