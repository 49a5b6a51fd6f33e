package io.rvfeed.audit;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Who performed an audited action.
 *
 * @param name {@code admin-token} for the admin API, {@code cli:<os user>} for the jar's
 * command line, {@code system:<component>} for the service's own background work, or an
 * API key's id
 * @param source where the action came from
 * @param onBehalfOf the person an admin client named ({@code X-Caller-Id}), or null
 */
public record AuditActor(String name, Source source, @Nullable String onBehalfOf) {

	/** Where an action came from; stored as its {@link #value()}. */
	public enum Source {

		ADMIN_API("admin-api"), CLI("cli"), SYSTEM("system"), API("api");

		private final String value;

		Source(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/** The admin API, called with the admin token (for {@code onBehalfOf}, or null). */
	public static AuditActor adminApi(@Nullable String onBehalfOf) {
		return new AuditActor("admin-token", Source.ADMIN_API, onBehalfOf);
	}

	/** The jar's command line, run by the current operating-system user. */
	public static AuditActor cli() {
		return new AuditActor("cli:" + System.getProperty("user.name", "unknown"), Source.CLI, null);
	}

	/** The service itself (a background job), named by its component. */
	public static AuditActor system(String component) {
		return new AuditActor("system:" + component, Source.SYSTEM, null);
	}

	/** A tenant's API key (for actions a tenant takes through the API). */
	public static AuditActor apiKey(UUID keyId) {
		return new AuditActor("key:" + keyId, Source.API, null);
	}

}
