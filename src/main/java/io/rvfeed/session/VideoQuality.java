package io.rvfeed.session;

public enum VideoQuality {

	STANDARD, DATA_SAVER

}
