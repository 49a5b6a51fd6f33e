package io.rvfeed.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client generated from Esper's published document must parse rv-feed's output. The
 * document is read in place from {@code ../shared/reference/}; the only change made to it
 * is relaxing nullability (Esper's schemas declare no nulls, but absent values are null).
 */
class EsperCompatibilityIT extends ServiceTest {

	static final Path ESPER_DOCUMENT = Path.of("..", "shared", "reference", "esper-rv-activity-feed.openapi.json");

	private static final String BASE_URI = "https://esper.test/openapi.json";

	private static final String FEED_200 = "#/paths/~1v2~1rv-activity-feed~1/get/responses/200/content/application~1json/schema";

	static JsonSchemaFactory factory;

	@BeforeAll
	static void loadEsperDocument() throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		JsonNode document = mapper.readTree(Files.readString(ESPER_DOCUMENT));
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
		assertThat(violations("#/components/schemas/Error_401_Unauthorized", unauthorized.body())).isEmpty();
		assertThat(violations("#/components/schemas/ErrorResponse", unauthorized.body())).isEmpty();
		HttpApi.Reply bad = api.get("/api/v2/rv-activity-feed/?limit=x").key(IntegrationTest.BOOTSTRAP_KEY).send();
		assertThat(bad.status()).isEqualTo(400);
		assertThat(violations("#/components/schemas/Error_400_Bad_Data", bad.body())).isEmpty();
		assertThat(violations("#/components/schemas/ErrorResponse", bad.body())).isEmpty();
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

}
