package io.rvfeed.follow;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import io.rvfeed.events.CefLines;
import io.rvfeed.events.EventRecord;

/**
 * {@code java -jar rv-feed.jar follow}: polls a service's events feed and writes every
 * event to stdout (or a file) as NDJSON or CEF lines, for a log shipper or SIEM
 * collector. The cursor is saved to the state file (written to a temporary file, synced,
 * renamed) only once the records before it are flushed, so a restart goes on where the
 * last run stopped and loses nothing. Runs without the service's application context:
 * plain JDK HTTP client and Jackson.
 */
@Command(name = "follow", mixinStandardHelpOptions = true, sortOptions = false,
		description = {
				"Follow the events feed (GET /api/v2/rv-session-events/) of a running rv-feed service and "
						+ "write each event once, in commit order, to stdout or --output.",
				"Exit codes: 0 caught up (--once), 1 refused by the service (bad key, expired cursor...), 2 usage." })
public final class FollowCommand implements Callable<Integer> {

	static final String EVENTS_PATH = "/api/v2/rv-session-events/";

	@Option(names = "--url", required = true, paramLabel = "URL",
			description = "The service's base URL, e.g. https://rvfeed.example.com")
	String url;

	@Option(names = "--key-file", required = true, paramLabel = "FILE",
			description = "File holding an API key with feed:read (kept out of the command line)")
	Path keyFile;

	@Option(names = "--state-file", required = true, paramLabel = "FILE",
			description = "Where the cursor is kept between runs (created on the first run)")
	Path stateFile;

	@Option(names = "--format", defaultValue = "ndjson", paramLabel = "ndjson|cef",
			description = "Output format: ndjson (the feed's records as they are) or cef (ArcSight CEF:0 lines); "
					+ "default ${DEFAULT-VALUE}")
	Format format;

	@Option(names = "--output", paramLabel = "FILE",
			description = "Append to this file instead of stdout; each page is synced before the cursor is saved, "
					+ "and a restart resumes after the file's last complete record, so nothing is written twice")
	Path output;

	@Option(names = "--query", paramLabel = "FILTERS", defaultValue = "",
			description = "Filters of the events feed, as a query string: states=FAILED&device_id=...")
	String query;

	@Option(names = "--limit", defaultValue = "1000",
			description = "Records per request (1-1000); default " + "${DEFAULT-VALUE}")
	int limit;

	@Option(names = "--interval", defaultValue = "5", paramLabel = "SECONDS",
			description = "Pause between polls once caught up; default ${DEFAULT-VALUE}")
	double intervalSeconds;

	@Option(names = "--max-backoff", defaultValue = "60", paramLabel = "SECONDS",
			description = "Longest wait between retries after server errors; default ${DEFAULT-VALUE}")
	double maxBackoffSeconds;

	@Option(names = "--once", description = "Stop once caught up instead of polling on")
	boolean once;

	enum Format {

		ndjson, cef

	}

	private final PrintStream stdout;

	private final PrintStream stderr;

	private final Sleeper sleeper;

	private final JsonMapper json = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	/** Waits; tests pass one that records the waits instead. */
	interface Sleeper {

		void sleep(Duration duration) throws InterruptedException;

	}

	public FollowCommand() {
		this(System.out, System.err, (duration) -> Thread.sleep(duration.toMillis()));
	}

	FollowCommand(PrintStream stdout, PrintStream stderr, Sleeper sleeper) {
		this.stdout = stdout;
		this.stderr = stderr;
		this.sleeper = sleeper;
	}

	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("follow");
	}

	/** Runs {@code follow} with the arguments after its name; answers the exit code. */
	public static int run(String[] args) {
		return commandLine(new FollowCommand()).execute(args);
	}

	/**
	 * The command line of {@code command}, printing help and usage errors where it
	 * prints.
	 */
	static CommandLine commandLine(FollowCommand command) {
		return new CommandLine(command).setOut(new PrintWriter(command.stdout, true))
			.setErr(new PrintWriter(command.stderr, true))
			.setExecutionExceptionHandler((ex, line, parsed) -> {
				command.stderr.println("follow: stopped: " + ex);
				return 1;
			});
	}

	@Override
	public Integer call() throws Exception {
		if (this.limit < 1 || this.limit > 1000) {
			this.stderr.println("follow: --limit must be between 1 and 1000");
			return 2;
		}
		String key = Files.readString(this.keyFile).strip();
		if (key.isEmpty()) {
			this.stderr.println("follow: the key file " + this.keyFile + " is empty");
			return 1;
		}
		StateFile state = new StateFile(this.stateFile);
		try (Sink sink = (this.output != null) ? Sink.file(this.output) : Sink.stream(this.stdout)) {
			// a file output's last record is never behind the state file: it is synced
			// first
			String cursor = sink.lastCursor().orElse(null);
			if (cursor == null) {
				cursor = state.read().orElse(null);
			}
			CefLines cef = new CefLines(CefLines.productVersion());
			CompletableFuture<Page> next = fetch(key, cursor);
			while (true) {
				Page page = await(next, key, cursor);
				if (page.refused() != null) {
					this.stderr.println("follow: the service refused the request: " + page.refused());
					return 1;
				}
				// ask for the next page while this one is written
				next = page.hasMore() ? fetch(key, page.nextCursor()) : null;
				if (!page.records().isEmpty()) {
					for (JsonNode record : page.records()) {
						sink.write(
								(this.format == Format.cef) ? cef.line(this.json.treeToValue(record, EventRecord.class))
										: this.json.writeValueAsString(record));
					}
					sink.flush();
				}
				if (!page.nextCursor().equals(cursor)) {
					state.write(page.nextCursor());
					cursor = page.nextCursor();
				}
				if (next == null) {
					if (this.once) {
						return 0;
					}
					this.sleeper.sleep(Duration.ofMillis((long) (this.intervalSeconds * 1000)));
					next = fetch(key, cursor);
				}
			}
		}
	}

	/** One answer: the records and where to go on from, or why the service refused. */
	record Page(List<JsonNode> records, String nextCursor, boolean hasMore, String refused) {
	}

	private CompletableFuture<Page> fetch(String key, String cursor) {
		return this.http.sendAsync(request(key, cursor), HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> toPage(response, cursor));
	}

	private HttpRequest request(String key, String cursor) {
		StringBuilder uri = new StringBuilder(this.url.replaceAll("/+$", "")).append(EVENTS_PATH)
			.append("?limit=")
			.append(this.limit);
		if (!this.query.isBlank()) {
			uri.append('&').append(this.query.replaceFirst("^[?&]", ""));
		}
		if (cursor != null) {
			uri.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
		}
		return HttpRequest.newBuilder(URI.create(uri.toString()))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + key)
			.header("Accept", "application/json")
			.GET()
			.build();
	}

	/**
	 * Waits for the page, retrying what can succeed later: 429 after its
	 * {@code Retry-After}, 5xx and network errors with exponential backoff and jitter.
	 */
	private Page await(CompletableFuture<Page> pending, String key, String cursor) throws InterruptedException {
		double backoff = 1;
		CompletableFuture<Page> attempt = pending;
		while (true) {
			Duration wait;
			try {
				return attempt.get();
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				if (cause instanceof Retry retry && retry.retryAfter != null) {
					wait = retry.retryAfter;
					this.stderr.println("follow: rate limited (429); retrying in " + wait.toSeconds() + " s");
				}
				else {
					wait = Duration
						.ofMillis((long) (backoff * 1000 * (0.5 + ThreadLocalRandom.current().nextDouble())));
					this.stderr.println("follow: " + describe(cause) + "; retrying in " + wait.toMillis() + " ms");
					backoff = Math.min(backoff * 2, this.maxBackoffSeconds);
				}
			}
			this.sleeper.sleep(wait);
			attempt = fetch(key, cursor);
		}
	}

	private static String describe(Throwable cause) {
		if (cause instanceof Retry retry) {
			return retry.getMessage();
		}
		return "request failed (" + cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : "") + ")";
	}

	private Page toPage(HttpResponse<String> response, String cursor) {
		int status = response.statusCode();
		if (status == 429) {
			throw new Retry("rate limited (429)", retryAfter(response));
		}
		if (status >= 500) {
			throw new Retry("server error (" + status + ")", null);
		}
		if (status != 200) {
			String message;
			try {
				message = this.json.readTree(response.body()).path("message").asString(response.body());
			}
			catch (RuntimeException ex) {
				message = response.body();
			}
			return new Page(List.of(), cursor, false, status + " " + message);
		}
		JsonNode content = this.json.readTree(response.body()).path("content");
		List<JsonNode> records = content.path("results").valueStream().toList();
		return new Page(records, content.path("next_cursor").asString(), content.path("has_more").asBoolean(), null);
	}

	private static Duration retryAfter(HttpResponse<String> response) {
		String value = response.headers().firstValue("Retry-After").orElse("1").strip();
		try {
			return Duration.ofSeconds(Math.max(1, Long.parseLong(value)));
		}
		catch (NumberFormatException ex) {
			return Duration.ofSeconds(1);
		}
	}

	/** An answer worth asking again for. */
	static final class Retry extends RuntimeException {

		final Duration retryAfter;

		Retry(String message, Duration retryAfter) {
			super(message, null, false, false);
			this.retryAfter = retryAfter;
		}

	}

}
