package io.rvfeed.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Checks real HTTP exchanges against rv-feed's OpenAPI document with an independent JSON
 * Schema validator (networknt, draft 2020-12, formats asserted): the operation must
 * exist, the status must be listed by the operation (there is no catch-all
 * {@code default}, and a 500 is refused though documented: the suite never expects one),
 * the body must match the documented schema and the documented required headers must be
 * present. {@link HttpApi} runs every exchange of the integration suite through it, so an
 * undocumented response fails the build.
 */
public final class ContractValidator {

	public static final String DOCUMENT = "openapi/rv-feed.yaml";

	private static final String BASE_URI = "https://rv-feed.test/openapi.json";

	/** Served outside the API contract (static files of the docs and console pages). */
	private static final List<String> UNDOCUMENTED_PREFIXES = List.of("/webjars/", "/docs", "/openapi.", "/favicon",
			"/assets/", "/index.html", "/console/");

	private static ContractValidator shared;

	private final JsonNode document;

	private final JsonSchemaFactory factory;

	private final List<Route> routes = new ArrayList<>();

	record Route(String template, Pattern pattern) {
	}

	public ContractValidator(String documentJson) {
		try {
			this.document = new ObjectMapper().readTree(documentJson);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
				(builder) -> builder.schemaLoaders((loaders) -> loaders.schemas(Map.of(BASE_URI, documentJson))));
		Iterator<String> paths = this.document.path("paths").fieldNames();
		while (paths.hasNext()) {
			String template = paths.next();
			this.routes.add(new Route(template, routePattern(template)));
		}
	}

	/**
	 * A path template as a pattern; a trailing slash is optional, as the server serves
	 * both.
	 */
	static Pattern routePattern(String template) {
		StringBuilder regex = new StringBuilder("^");
		Matcher variable = Pattern.compile("\\{[^}/]+\\}").matcher(template);
		int last = 0;
		while (variable.find()) {
			regex.append(Pattern.quote(template.substring(last, variable.start()))).append("[^/]+");
			last = variable.end();
		}
		String tail = template.substring(last);
		if (tail.endsWith("/")) {
			regex.append(Pattern.quote(tail.substring(0, tail.length() - 1))).append("/?");
		}
		else {
			regex.append(Pattern.quote(tail));
		}
		return Pattern.compile(regex.append("$").toString());
	}

	/** The validator over the document on the test classpath, shared by all tests. */
	public static synchronized ContractValidator shared() {
		if (shared == null) {
			try (InputStream in = ContractValidator.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
				JsonNode tree = new YAMLMapper().readTree(in);
				shared = new ContractValidator(new ObjectMapper().writeValueAsString(tree));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return shared;
	}

	/** Every way the exchange departs from the document; empty when it conforms. */
	public List<String> violations(String method, String pathAndQuery, int status, Map<String, List<String>> headers,
			String body) {
		if (this.routes.isEmpty()) {
			throw new IllegalStateException("The OpenAPI document describes no paths");
		}
		String path = pathAndQuery.split("\\?", 2)[0];
		String exchange = method + " " + path + " -> " + status;
		if (UNDOCUMENTED_PREFIXES.stream().anyMatch(path::startsWith) || path.equals("/")
				|| method.equalsIgnoreCase("OPTIONS")) {
			// static pages, and CORS preflights, which are not API operations
			return List.of();
		}
		List<String> problems = new ArrayList<>();
		if (status == 500) {
			// documented, as it can happen, but never an answer the suite may get: a bug
			problems.add(exchange + ": an internal error (500)");
		}
		String verb = method.toLowerCase(Locale.ROOT);
		List<Route> matching = this.routes.stream().filter((r) -> r.pattern().matcher(path).matches()).toList();
		Route route = matching.stream()
			.filter((r) -> this.document.path("paths").path(r.template()).has(verb))
			.findFirst()
			.orElse(matching.isEmpty() ? null : matching.get(0));
		JsonNode operation = (route != null) ? this.document.path("paths").path(route.template()).path(verb) : null;
		if (operation == null || operation.isMissingNode()) {
			// no such operation (or a path the server refuses to route):
			// only a 4xx in the standard error body may answer
			if (status < 400 || status >= 500) {
				problems.add(exchange + ": no documented operation, yet the status is " + status);
			}
			validate(problems, exchange, "#/components/schemas/Error", body);
			return problems;
		}
		String pointer = "#/paths/" + escape(route.template()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/";
		JsonNode responses = operation.path("responses");
		String code = String.valueOf(status);
		if (!responses.has(code) && responses.has((status / 100) + "XX")) {
			code = (status / 100) + "XX";
		}
		// no catch-all: an operation lists the statuses it answers with
		if (!responses.has(code)) {
			problems.add(exchange + ": status " + status + " is not documented for " + method + " " + route.template());
			return problems;
		}
		JsonNode response = responses.path(code);
		pointer += escape(code);
		if (response.has("$ref")) {
			pointer = response.get("$ref").asText();
			response = resolve(pointer);
		}
		checkHeaders(problems, exchange, response, headers);
		JsonNode content = response.path("content");
		String type = headers.getOrDefault("content-type", List.of("")).get(0).split(";")[0].trim();
		if (content.isMissingNode() || content.isEmpty()) {
			if (body != null && !body.isEmpty()) {
				problems.add(exchange + ": the document promises no body, yet one came (" + type + ")");
			}
			return problems;
		}
		if (!content.has(type)) {
			problems.add(exchange + ": content type '" + type + "' is not documented; documented: "
					+ iterable(content.fieldNames()));
			return problems;
		}
		if (type.contains("json") && !type.contains("ndjson")) {
			validate(problems, exchange, pointer + "/content/" + escape(type) + "/schema", body);
		}
		return problems;
	}

	/** Throws when the exchange departs from the document. */
	public void check(String method, String pathAndQuery, int status, Map<String, List<String>> headers, String body) {
		List<String> problems = violations(method, pathAndQuery, status, headers, body);
		if (!problems.isEmpty()) {
			throw new AssertionError("Response does not match the OpenAPI document:\n  " + String.join("\n  ", problems)
					+ "\nBody: " + abbreviate(body));
		}
	}

	private void checkHeaders(List<String> problems, String exchange, JsonNode response,
			Map<String, List<String>> headers) {
		for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
			JsonNode spec = header.getValue().has("$ref") ? resolve(header.getValue().get("$ref").asText())
					: header.getValue();
			if (spec.path("required").asBoolean(false)
					&& !headers.containsKey(header.getKey().toLowerCase(Locale.ROOT))) {
				problems.add(exchange + ": required header " + header.getKey() + " is missing");
			}
		}
	}

	private void validate(List<String> problems, String exchange, String pointer, String body) {
		if (body == null || body.isEmpty()) {
			problems.add(exchange + ": expected a JSON body, got none");
			return;
		}
		JsonSchema schema = this.factory.getSchema(SchemaLocation.of(BASE_URI + pointer));
		Set<ValidationMessage> messages = schema.validate(body, InputFormat.JSON,
				(context) -> context.getExecutionConfig().setFormatAssertionsEnabled(true));
		for (ValidationMessage message : messages) {
			problems.add(exchange + ": " + message.getMessage());
		}
	}

	private JsonNode resolve(String ref) {
		JsonNode node = this.document.at(ref.substring(1));
		return node.has("$ref") ? resolve(node.get("$ref").asText()) : node;
	}

	private static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}

	private static String iterable(Iterator<String> names) {
		List<String> all = new ArrayList<>();
		names.forEachRemaining(all::add);
		return all.stream().collect(Collectors.joining(", "));
	}

	private static String abbreviate(String body) {
		return (body == null) ? "" : (body.length() > 600) ? body.substring(0, 600) + "..." : body;
	}

}
