package io.rvfeed.audit;

/** How an audited action ended; stored as its {@link #value()}. */
public enum AuditOutcome {

	/** Done (committed with the entry). */
	SUCCEEDED("succeeded"),
	/** Refused for a reason the caller was told (unknown tenant, already revoked...). */
	REFUSED("refused"),
	/** Failed for a reason of the service's own. */
	FAILED("failed");

	private final String value;

	AuditOutcome(String value) {
		this.value = value;
	}

	public String value() {
		return this.value;
	}

	static AuditOutcome of(String value) {
		for (AuditOutcome outcome : values()) {
			if (outcome.value.equals(value)) {
				return outcome;
			}
		}
		throw new IllegalArgumentException(value);
	}

}
