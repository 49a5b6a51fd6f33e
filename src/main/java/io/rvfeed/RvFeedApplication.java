package io.rvfeed;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

import io.rvfeed.cli.RvFeedCommandLine;

@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class RvFeedApplication {

	/**
	 * Runs the service, given no arguments or only {@code --name=value} settings;
	 * otherwise a command of {@link RvFeedCommandLine} (which starts only what it needs).
	 */
	public static void main(String[] args) {
		if (RvFeedCommandLine.startsTheService(args)) {
			SpringApplication.run(RvFeedApplication.class, args);
		}
		else {
			System.exit(RvFeedCommandLine.execute(args));
		}
	}

}
