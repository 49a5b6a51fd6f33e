package io.rvfeed;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.rvfeed.admin.AdminCommandLine;
import io.rvfeed.bench.BenchCommandLine;
import io.rvfeed.follow.FollowCommand;

@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class RvFeedApplication {

	public static void main(String[] args) {
		// a client of a running service: no application context of its own
		if (FollowCommand.handles(args)) {
			System.exit(FollowCommand.run(Arrays.copyOfRange(args, 1, args.length)));
		}
		if (AdminCommandLine.handles(args)) {
			System.exit(AdminCommandLine.run(RvFeedApplication.class, args));
		}
		if (BenchCommandLine.handles(args)) {
			System.exit(BenchCommandLine.run(RvFeedApplication.class, args));
		}
		SpringApplication.run(RvFeedApplication.class, args);
	}

}
