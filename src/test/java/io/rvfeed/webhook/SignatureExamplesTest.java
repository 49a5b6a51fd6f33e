package io.rvfeed.webhook;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signature checks of the API guide, in Java, Python and Node, accept what the
 * service signs (one secret, and two during a rotation) and refuse a tampered body, an
 * unknown secret and an old timestamp.
 */
class SignatureExamplesTest {

	private static final Path GUIDE = Path.of("docs", "api-guide.md");

	private static String guide;

	@TempDir
	Path temp;

	private final String secret = secret();

	private final String other = secret();

	private final String id = "msg_2f6a0c2e-6a9e-4c55-9a43-6f9d0fa1b0c1";

	private final String timestamp = Long.toString(System.currentTimeMillis() / 1000);

	private final String old = Long.toString(System.currentTimeMillis() / 1000 - 600);

	private final String body = "{\"type\":\"rv_session.ended\",\"data\":{\"reason\":\"Caf\u00e9 \u2013 lost\"}}";

	@BeforeAll
	static void read() throws Exception {
		guide = Files.readString(GUIDE);
	}

	private static String secret() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return "whsec_" + Base64.getEncoder().encodeToString(bytes);
	}

	private static String block(String language) {
		Matcher m = Pattern.compile("### Verifying a signature.*?```" + language + "\\n(.*?)```", Pattern.DOTALL)
			.matcher(guide);
		assertThat(m.find()).as("a " + language + " example under 'Verifying a signature'").isTrue();
		return m.group(1);
	}

	/** Cases: [secret, timestamp, body, header] and whether each must verify. */
	private List<Object[]> cases() {
		String one = Signatures.header(List.of(this.secret), this.id, Long.parseLong(this.timestamp), this.body);
		String rotation = Signatures.header(List.of(this.other, this.secret), this.id, Long.parseLong(this.timestamp),
				this.body);
		String stale = Signatures.header(List.of(this.secret), this.id, Long.parseLong(this.old), this.body);
		List<Object[]> cases = new ArrayList<>();
		cases.add(new Object[] { this.secret, this.timestamp, this.body, one, true });
		cases.add(new Object[] { this.secret, this.timestamp, this.body, rotation, true });
		cases.add(new Object[] { this.secret, this.timestamp, this.body.replace("lost", "LOST"), one, false });
		cases.add(new Object[] { secret(), this.timestamp, this.body, one, false });
		cases.add(new Object[] { this.secret, this.old, this.body, stale, false });
		return cases;
	}

	@Test
	void theJavaExampleVerifies() throws Exception {
		Path source = this.temp.resolve("WebhookVerifier.java");
		Files.writeString(source, block("java"));
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler.run(null, null, null, "-d", this.temp.toString(), source.toString())).isZero();
		try (URLClassLoader loader = new URLClassLoader(new URL[] { this.temp.toUri().toURL() })) {
			Method verify = loader.loadClass("WebhookVerifier")
				.getMethod("verify", String.class, String.class, String.class, String.class, String.class);
			for (Object[] c : cases()) {
				assertThat(verify.invoke(null, c[0], this.id, c[1], c[2], c[3])).as(String.valueOf(c[3]))
					.isEqualTo(c[4]);
			}
		}
	}

	@Test
	void thePythonExampleVerifies() throws Exception {
		StringBuilder driver = new StringBuilder(block("python")).append("\nimport json, sys\n")
			.append("for c in json.load(open(sys.argv[1])):\n")
			.append("    print(verify(c[0], c[1], c[2], c[3].encode('utf-8'), c[4]))\n");
		run(List.of("python3"), "verify.py", driver.toString());
	}

	@Test
	void theNodeExampleVerifies() throws Exception {
		StringBuilder driver = new StringBuilder(block("javascript")).append("\nconst fs = require('fs');\n")
			.append("for (const c of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) ")
			.append("console.log(verify(c[0], c[1], c[2], c[3], c[4]) ? 'True' : 'False');\n");
		run(List.of("node"), "verify.js", driver.toString());
	}

	private void run(List<String> interpreter, String name, String program) throws Exception {
		Path script = this.temp.resolve(name);
		Files.writeString(script, program);
		Path input = this.temp.resolve("cases.json");
		StringBuilder json = new StringBuilder("[");
		List<Boolean> expected = new ArrayList<>();
		for (Object[] c : cases()) {
			json.append((json.length() > 1) ? "," : "")
				.append('[')
				.append(quote((String) c[0]))
				.append(',')
				.append(quote(this.id))
				.append(',')
				.append(quote((String) c[1]))
				.append(',')
				.append(quote((String) c[2]))
				.append(',')
				.append(quote((String) c[3]))
				.append(']');
			expected.add((Boolean) c[4]);
		}
		Files.writeString(input, json.append(']').toString());
		List<String> command = new ArrayList<>(interpreter);
		command.add(script.toString());
		command.add(input.toString());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes()).strip();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output.lines().toList())
			.containsExactlyElementsOf(expected.stream().map((b) -> b ? "True" : "False").toList());
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
