package io.rvfeed.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import io.rvfeed.support.ContractValidator;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract check that every integration test runs can fail: a real response passes,
 * and the same response with a field renamed, dropped or mistyped does not.
 */
class ContractCheckIT extends ServiceTest {

	@Test
	void aRenamedFieldBreaksTheContract() {
		TestTenants.TestTenant tenant = this.tenants.create();
		HttpApi unchecked = new HttpApi(this.port, false);
		new WriteApi(unchecked, tenant.key()).createSession(UUID.randomUUID(), "2026-09-01T10:00:00Z");
		HttpApi.Reply reply = unchecked.get("/api/v2/rv-activity-feed/").key(tenant.key()).send();
		ContractValidator contract = ContractValidator.shared();
		String path = "/api/v2/rv-activity-feed/";
		var headers = reply.response().headers().map();

		assertThat(contract.violations("GET", path, 200, headers, reply.body())).isEmpty();

		List<String> renamed = contract.violations("GET", path, 200, headers,
				reply.body().replace("\"device_name\"", "\"device_nam\""));
		assertThat(renamed).anySatisfy((problem) -> assertThat(problem).contains("device_name"));
		assertThat(renamed).anySatisfy((problem) -> assertThat(problem).contains("device_nam"));

		assertThat(
				contract.violations("GET", path, 200, headers, reply.body().replace("\"count\":1", "\"count\":\"1\"")))
			.isNotEmpty();
		assertThat(contract.violations("GET", path, 200, headers, reply.body().replace("\"INITIATED\"", "\"STARTED\"")))
			.isNotEmpty();
		assertThat(contract.violations("GET", path, 418, headers, reply.body())).isNotEmpty();
	}

	@Test
	void anUndocumentedOrInternalErrorStatusBreaksTheContract() {
		HttpApi.Reply reply = new HttpApi(this.port, false).get("/api/v2/rv-activity-feed/").send();
		ContractValidator contract = ContractValidator.shared();
		var headers = reply.response().headers().map();
		String error = reply.body();
		// the same error body under a status the operation does not list
		assertThat(contract.violations("GET", "/api/v2/rv-activity-feed/", 409, headers, error.replace("401", "409")))
			.anySatisfy((problem) -> assertThat(problem).contains("status 409 is not documented"));
		assertThat(contract.violations("GET", "/api/v2/rv-activity-feed/", 500, headers, error.replace("401", "500")))
			.anySatisfy((problem) -> assertThat(problem).contains("internal error"));
		// a status the operation lists passes
		assertThat(contract.violations("GET", "/api/v2/rv-activity-feed/", 401, headers, error)).isEmpty();
	}

	@Test
	void theServedDocumentIsTheSourceDocument() throws Exception {
		HttpApi api = new HttpApi(this.port);
		HttpApi.Reply json = api.get("/openapi.json").send();
		HttpApi.Reply yaml = api.get("/openapi.yaml").send();
		assertThat(json.status()).isEqualTo(200);
		assertThat(json.header("Content-Type")).startsWith("application/json");
		assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
		String source = Files.readString(Path.of("src", "main", "resources", ContractValidator.DOCUMENT));
		assertThat(yaml.body()).isEqualTo(source);
		assertThat(new YAMLMapper().readTree(source)).isEqualTo(new ObjectMapper().readTree(json.body()));
		// .ci/run lints the document exactly as served
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "openapi.json"), json.body());
	}

	@Test
	void anErrorWithoutItsFieldsBreaksTheContract() {
		HttpApi.Reply reply = new HttpApi(this.port, false).get("/api/v2/rv-activity-feed/").send();
		ContractValidator contract = ContractValidator.shared();
		var headers = reply.response().headers().map();
		assertThat(contract.violations("GET", "/api/v2/rv-activity-feed/", 401, headers, reply.body())).isEmpty();
		assertThat(contract.violations("GET", "/api/v2/rv-activity-feed/", 401, headers,
				reply.body().replace("\"message\"", "\"msg\"")))
			.isNotEmpty();
		assertThat(contract.violations("GET", "/no/such/path", 404, headers, reply.body().replace("\"code\":401,", "")))
			.isNotEmpty();
	}

}
