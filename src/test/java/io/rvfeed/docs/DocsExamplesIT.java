package io.rvfeed.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.rvfeed.support.ServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The curl examples of the API guide run, in order, against this live server in a fresh
 * tenant, so they cannot rot: any example whose answer changes fails the build.
 */
class DocsExamplesIT extends ServiceTest {

	private static final Path GUIDE = Path.of("docs", "api-guide.md");

	private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

	@Test
	void everyExampleInTheApiGuideRuns() throws Exception {
		List<String> blocks = new ArrayList<>();
		Matcher matcher = BASH_BLOCK.matcher(Files.readString(GUIDE));
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		assertThat(blocks).as("bash examples in " + GUIDE).hasSizeGreaterThan(3);
		Path script = Files.createTempFile("api-guide-", ".sh");
		Files.writeString(script, "set -euo pipefail\n" + String.join("\n", blocks));
		Path output = Files.createTempFile("api-guide-", ".out");
		ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		bash.environment().put("BASE_URL", "http://localhost:" + this.port);
		bash.environment().put("KEY", this.tenants.create().key());
		Process process = bash.start();
		assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the examples finish").isTrue();
		assertThat(process.exitValue()).as(Files.readString(output)).isZero();
	}

}
