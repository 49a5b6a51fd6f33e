package io.rvfeed.session;

/**
 * The lifecycle of a remote-viewing session, in stage order. TERMINATED and FAILED are
 * both final and share the last stage.
 */
public enum SessionState {

	INITIATED(0), ACKNOWLEDGED(1), ACTIVE(2), TERMINATED(3), FAILED(3);

	private final int stage;

	SessionState(int stage) {
		this.stage = stage;
	}

	public int stage() {
		return this.stage;
	}

	public boolean isTerminal() {
		return this == TERMINATED || this == FAILED;
	}

}
