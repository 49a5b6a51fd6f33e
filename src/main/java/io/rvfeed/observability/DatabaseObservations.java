package io.rvfeed.observability;

import java.util.Locale;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With tracing on, every SQL statement jOOQ runs is a span ({@code db SELECT}, ...)
 * inside the request's: {@code db.system} and {@code db.operation}, never the statement
 * or its values, which carry tenants' data.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(ObservabilityEnvironment.TRACING_ON)
class DatabaseObservations {

	static final String NAME = "rvfeed.db.statement";

	@Bean
	DefaultExecuteListenerProvider databaseObservationListener(ObservationRegistry observations) {
		return new DefaultExecuteListenerProvider(new StatementObservations(observations));
	}

	/** One listener for all executions: each keeps its observation in its context. */
	static final class StatementObservations implements ExecuteListener {

		private static final String OBSERVATION = StatementObservations.class.getName() + ".observation";

		private static final String SCOPE = StatementObservations.class.getName() + ".scope";

		private final ObservationRegistry observations;

		StatementObservations(ObservationRegistry observations) {
			this.observations = observations;
		}

		@Override
		public void executeStart(ExecuteContext context) {
			if (this.observations.getCurrentObservation() == null) {
				// background work (the count compactor, live stream polls): no request to
				// put it inside
				return;
			}
			String operation = operation(context);
			Observation observation = Observation.createNotStarted(NAME, this.observations)
				.contextualName("db " + operation)
				.lowCardinalityKeyValue("db.system", "postgresql")
				.lowCardinalityKeyValue("db.operation", operation)
				.start();
			context.data(OBSERVATION, observation);
			context.data(SCOPE, observation.openScope());
		}

		@Override
		public void exception(ExecuteContext context) {
			if (context.data(OBSERVATION) instanceof Observation observation && context.exception() != null) {
				observation.error(context.exception());
			}
		}

		@Override
		public void executeEnd(ExecuteContext context) {
			if (context.data(SCOPE) instanceof Observation.Scope scope) {
				scope.close();
				context.data(SCOPE, null);
			}
			if (context.data(OBSERVATION) instanceof Observation observation) {
				observation.stop();
				context.data(OBSERVATION, null);
			}
		}

		@Override
		public void end(ExecuteContext context) {
			// a statement that failed before it ran never reached executeEnd
			executeEnd(context);
		}

		private static String operation(ExecuteContext context) {
			String sql = context.sql();
			if (sql == null) {
				return "STATEMENT";
			}
			String trimmed = sql.stripLeading();
			int end = 0;
			while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
				end++;
			}
			return (end == 0) ? "STATEMENT" : trimmed.substring(0, end).toUpperCase(Locale.ROOT);
		}

	}

}
