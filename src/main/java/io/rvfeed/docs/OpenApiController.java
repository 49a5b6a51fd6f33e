package io.rvfeed.docs;

import java.io.IOException;
import java.io.InputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the hand-maintained OpenAPI document, the source of truth for the API, as YAML
 * (as written) and as JSON (converted once at start-up).
 */
@RestController
class OpenApiController {

	static final String DOCUMENT = "openapi/rv-feed.yaml";

	private final String yaml;

	private final String json;

	OpenApiController() throws IOException {
		try (InputStream in = new ClassPathResource(DOCUMENT).getInputStream()) {
			this.yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		JsonNode tree = YAMLMapper.builder().build().readTree(this.yaml);
		this.json = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
	}

	@GetMapping(path = "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> json() {
		return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(this.json);
	}

	@GetMapping(path = { "/openapi.yaml", "/openapi.yml" }, produces = "application/yaml")
	ResponseEntity<String> yaml() {
		return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(this.yaml);
	}

}
