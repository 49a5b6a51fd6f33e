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
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

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
 * {@code esper/rv-activity-feed-contract.json} under {@code src/test/resources}; the only
 * change made to it here is relaxing nullability (Esper's schemas declare no nulls, but
 * absent values are null).
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
		JsonNode document = contract.deepCopy();
		relaxNullability(document);
		String relaxed = mapper.writeValueAsString(document);
		factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
				(builder) -> builder.schemaLoaders((loaders) -> loaders.schemas(Map.of(BASE_URI, relaxed))));
	}

	/** Every schema with a type or an enum also admits null; nothing else changes. */
	static void relaxNullability(JsonNode node) {
		if (node instanceof ObjectNode object) {
			JsonNode type = object.get("type");
			if (type != null && type.isTextual() && !type.asText().equals("null")) {
				ArrayNode types = object.putArray("type");
				types.add(type.asText());
				types.add("null");
			}
			if (object.get("enum") instanceof ArrayNode values && !containsNull(values)) {
				values.addNull();
			}
			object.elements().forEachRemaining(EsperCompatibilityIT::relaxNullability);
		}
		else if (node instanceof ArrayNode array) {
			array.elements().forEachRemaining(EsperCompatibilityIT::relaxNullability);
		}
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
				+ "\",\"state\":\"ACTIVE\",\"video_quality\":\"STANDARD\",\"device_state\":1,\"created_at\":\"2026-01-01T00:00:00Z\"}]}}";
		assertThat(violations(FEED_200, good)).isEmpty();
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
