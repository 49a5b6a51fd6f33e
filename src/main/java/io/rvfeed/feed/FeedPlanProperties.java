package io.rvfeed.feed;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the feed reads a page.
 *
 * @param fewDeviceNameSessions a {@code device_name} filter whose matching device names
 * have at most this many sessions in all is read name by name through the device-name
 * index; above it, by walking the ordering index and testing the substring on each row
 * until the page is full (default 15,000: on the benchmark's tenant of 2 million sessions
 * the two took equally long at about 16,000)
 */
@ConfigurationProperties("rvfeed.feed-plan")
record FeedPlanProperties(@DefaultValue("15000") long fewDeviceNameSessions) {

	FeedPlanProperties {
		if (fewDeviceNameSessions < 0) {
			throw new IllegalArgumentException(
					"rvfeed.feed-plan.few-device-name-sessions must be 0 or more, not " + fewDeviceNameSessions);
		}
	}

}
