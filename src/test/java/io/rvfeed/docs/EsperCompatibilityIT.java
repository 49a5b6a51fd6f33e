package io.rvfeed.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import io.rvfeed.support.ContractValidator;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client generated from Esper's published document must parse rv-feed's output, and
 * every query a client sends by that document must be accepted. What Esper's document
 * declares for the endpoint (parameters, enums, result fields and their types, required
 * error fields) is this project's own fixture,
 * {@code esper/rv-activity-feed-contract.json} under {@code src/test/resources}. Esper's
 * schemas mark no field required and none nullable; the check here is stricter than that
 * document on the first and exactly as loose as rv-feed's own document on the second:
 * every field the fixture declares for a page and a session must be present (rv-feed
 * always sends them all, so a client mapping each finds it), and only the fields
 * rv-feed's OpenAPI document declares nullable may be null ({@code "count": null} fails).
 */
class EsperCompatibilityIT extends ServiceTest {

	static final String ESPER_CONTRACT = "esper/rv-activity-feed-contract.json";

	private static final String BASE_URI = "https://esper.test/rv-activity-feed-contract.json";

	private static final String FEED_200 = "#/$defs/FeedPage";

	static JsonSchemaFactory factory;

	static JsonNode contract;

	@BeforeAll
	static void loadEsperDocument() throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		contract = mapper.readTree(new ClassPathResource(ESPER_CONTRACT).getContentAsString(StandardCharsets.UTF_8));
		JsonNode ours = new YAMLMapper().readTree(new ClassPathResource(ContractValidator.DOCUMENT).getInputStream());
		JsonNode document = contract.deepCopy();
		ObjectNode page = (ObjectNode) document.path("$defs").path("FeedPage");
		ObjectNode content = (ObjectNode) page.path("properties").path("content");
		ObjectNode session = (ObjectNode) document.path("$defs").path("Session");
		requireAll(page);
		requireAll(content);
		requireAll(session);
		relaxNullability(content, nullable(ours.at("/components/schemas/FeedPage/properties/content")));
		relaxNullability(session, nullable(ours.at("/components/schemas/Session")));
		String strict = mapper.writeValueAsString(document);
		factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
				(builder) -> builder.schemaLoaders((loaders) -> loaders.schemas(Map.of(BASE_URI, strict))));
	}

	/** Every property the schema declares becomes required. */
	static void requireAll(ObjectNode schema) {
		ArrayNode required = schema.putArray("required");
		schema.path("properties").fieldNames().forEachRemaining(required::add);
		assertThat(required).as("properties of " + schema).isNotEmpty();
	}

	/** The properties rv-feed's document lets be null. */
	static Set<String> nullable(JsonNode ourSchema) {
		Set<String> names = new java.util.TreeSet<>();
		ourSchema.path("properties").properties().forEach((property) -> {
			JsonNode schema = property.getValue();
			List<JsonNode> types = new ArrayList<>();
			schema.path("type").forEach(types::add);
			schema.path("oneOf").forEach((branch) -> types.add(branch.path("type")));
			schema.path("anyOf").forEach((branch) -> types.add(branch.path("type")));
			if (types.stream().anyMatch((type) -> type.asText().equals("null"))) {
				names.add(property.getKey());
			}
		});
		assertThat(names).as("nullable properties in " + ContractValidator.DOCUMENT).isNotEmpty();
		return names;
	}

	/** The named properties of the schema also admit null; nothing else changes. */
	static void relaxNullability(ObjectNode schema, Set<String> names) {
		schema.path("properties").properties().forEach((property) -> {
			if (names.contains(property.getKey()) && property.getValue() instanceof ObjectNode object) {
				if (object.has("$ref")) {
					ObjectNode reference = object.deepCopy();
					object.removeAll();
					ArrayNode anyOf = object.putArray("anyOf");
					anyOf.add(reference);
					anyOf.addObject().put("type", "null");
					return;
				}
				JsonNode type = object.get("type");
				if (type != null && type.isTextual()) {
					object.putArray("type").add(type.asText()).add("null");
				}
				if (object.get("enum") instanceof ArrayNode values && !containsNull(values)) {
					values.addNull();
				}
			}
		});
	}

	private static boolean containsNull(ArrayNode values) {
		for (JsonNode value : values) {
			if (value.isNull()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Validates as JSON Schema 2020-12 does by default, with {@code format} as an
	 * annotation, the way generated clients treat it (a duration is a string). Strictly
	 * asserted, RFC 3339's duration format has no fractional seconds, which the feed's
	 * durations (as {@code java.time.Duration} prints them, e.g. {@code PT0.5S}) can
	 * have. rv-feed's own document is checked with formats asserted.
	 */
	static List<String> violations(String pointer, String body) {
		JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE_URI + pointer));
		Set<ValidationMessage> messages = schema.validate(body, InputFormat.JSON);
		List<String> out = new ArrayList<>();
		messages.forEach((message) -> out.add(message.getMessage()));
		return out;
	}

	@Test
	void feedPagesParseWithEspersResponseSchema() {
		TestTenants.TestTenant tenant = this.tenants.create();
		HttpApi api = new HttpApi(this.port);
		WriteApi write = new WriteApi(api, tenant.key());
		for (int i = 0; i < 4; i++) {
			UUID session = write.createSession(UUID.randomUUID(), "2026-06-0" + (i + 1) + "T10:00:00Z");
			if (i > 0) {
				write.event(session, "ACTIVE", "2026-06-0" + (i + 1) + "T10:00:05Z");
			}
			if (i > 1) {
				write.event(session, "{\"state\":\"FAILED\",\"occurred_at\":\"2026-06-0" + (i + 1)
						+ "T10:20:05.25Z\",\"reason\":\"Device went offline\"}");
			}
		}
		write.create("{\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":\"Kiosk\",\"device_alias\":\"Front desk\",\"device_state\":60,\"video_quality\":\"DATA_SAVER\"}");
		for (String query : List.of("", "?limit=2", "?limit=2&offset=2", "?states=FAILED", "?ordering=-duration",
				"?offset=100")) {
			HttpApi.Reply reply = api.get("/api/v2/rv-activity-feed/" + query).key(tenant.key()).send();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(violations(FEED_200, reply.body())).as(query).isEmpty();
		}
	}

	@Test
	void errorsParseWithEspersErrorSchemas() {
		HttpApi api = new HttpApi(this.port);
		HttpApi.Reply unauthorized = api.get("/api/v2/rv-activity-feed/").send();
		assertThat(violations("#/$defs/Error401", unauthorized.body())).isEmpty();
		assertThat(violations("#/$defs/ErrorResponse", unauthorized.body())).isEmpty();
		HttpApi.Reply bad = api.get("/api/v2/rv-activity-feed/?limit=x").key(IntegrationTest.BOOTSTRAP_KEY).send();
		assertThat(bad.status()).isEqualTo(400);
		assertThat(violations("#/$defs/Error400", bad.body())).isEmpty();
		assertThat(violations("#/$defs/ErrorResponse", bad.body())).isEmpty();
	}

	@Test
	void theCheckNoticesAMissingOrMistypedField() {
		String good = "{\"content\":{\"count\":1,\"previous\":null,\"next\":null,\"results\":[{\"session_id\":\""
				+ UUID.randomUUID() + "\",\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":\"Kiosk\",\"device_alias\":null,\"device_state\":1,\"state\":\"ACTIVE\","
				+ "\"video_quality\":\"STANDARD\",\"reason\":null,\"duration\":null,\"created_by\":null,"
				+ "\"updated_by\":null,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}]}}";
		assertThat(violations(FEED_200, good)).isEmpty();
		// a field a generated client maps, missing
		assertThat(violations(FEED_200, good.replace("\"device_name\":\"Kiosk\",", ""))).isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"count\":1,", ""))).isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"next\":null,", ""))).isNotEmpty();
		// null where rv-feed promises a value
		assertThat(violations(FEED_200, good.replace("\"count\":1", "\"count\":null"))).isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"state\":\"ACTIVE\"", "\"state\":null"))).isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"device_name\":\"Kiosk\"", "\"device_name\":null")))
			.isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"count\":1", "\"count\":\"one\""))).isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"ACTIVE\"", "\"RUNNING\""))).isNotEmpty();
		assertThat(violations(FEED_200, good.replace("\"device_state\":1", "\"device_state\":7"))).isNotEmpty();
	}

	@Test
	void everyParameterAndValueOfEspersDocumentIsAccepted() {
		TestTenants.TestTenant tenant = this.tenants.create();
		HttpApi api = new HttpApi(this.port);
		List<String> names = new ArrayList<>();
		contract.path("parameters").fieldNames().forEachRemaining(names::add);
		assertThat(names).hasSize(20).contains("states", "ordering", "duration_gte", "updated_at_lt");
		for (String name : names) {
			JsonNode schema = contract.path("parameters").path(name);
			List<String> values = new ArrayList<>();
			schema.path("enum").forEach((value) -> values.add(value.asText()));
			if (values.isEmpty()) {
				values.add(sample(schema));
			}
			for (String value : values) {
				String query = name + "=" + value;
				HttpApi.Reply reply = api.get("/api/v2/rv-activity-feed/?" + query).key(tenant.key()).send();
				assertThat(reply.status()).as(query).isEqualTo(200);
				assertThat(violations(FEED_200, reply.body())).as(query).isEmpty();
			}
		}
		String allStates = String.join(",", texts(contract.path("parameters").path("states").path("enum")));
		assertThat(api.get("/api/v2/rv-activity-feed/?states=" + allStates).key(tenant.key()).send().status())
			.isEqualTo(200);
	}

	/** A value of the parameter's type and format, as a generated client would send. */
	private static String sample(JsonNode schema) {
		return switch (schema.path("type").asText() + "/" + schema.path("format").asText()) {
			case "integer/" -> "1";
			case "string/duration" -> "PT10M30S";
			case "string/date-time" -> "2023-10-01T12:00:00Z";
			case "string/" -> "kiosk";
			default -> throw new IllegalStateException("No sample for " + schema);
		};
	}

	private static List<String> texts(JsonNode array) {
		List<String> out = new ArrayList<>();
		array.forEach((value) -> out.add(value.asText()));
		return out;
	}

}
