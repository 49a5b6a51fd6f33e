// Swagger UI over rv-feed's own OpenAPI document. "Authorize" takes an API key; it stays in
// this page only (persistAuthorization is off), and "Try it out" calls the server this page
// came from (the document's server URL is relative).
//
// Parameter examples are shown in each parameter's description rather than filled into the
// Try it out fields: an example tenant id would answer 403 and example filters would hide
// the caller's sessions, so the fields start empty (or at their documented default).
(function () {
  "use strict";

  function exampleText(parameter) {
    var parts = [];
    if (parameter.examples) {
      Object.keys(parameter.examples).forEach(function (name) {
        var example = parameter.examples[name];
        if (example && example.value !== undefined) {
          parts.push("`" + example.value + "`" + (example.summary ? " (" + example.summary + ")" : ""));
        }
      });
    } else if (parameter.example !== undefined) {
      parts.push("`" + parameter.example + "`");
    }
    return parts.length ? "\n\nExample" + (parts.length > 1 ? "s" : "") + ": " + parts.join(", ") : "";
  }

  function withoutExamples(schema, document) {
    if (!schema) {
      return schema;
    }
    var resolved = schema;
    if (schema.$ref && schema.$ref.indexOf("#/components/schemas/") === 0) {
      resolved = document.components.schemas[schema.$ref.substring("#/components/schemas/".length)] || schema;
    }
    var copy = Object.assign({}, resolved);
    delete copy.example;
    delete copy.examples;
    return copy;
  }

  function clearExamples(parameter, document) {
    if (parameter.in === "query" || parameter.in === "header" || parameter.in === "path") {
      parameter.description = (parameter.description || "") + exampleText(parameter);
      delete parameter.example;
      delete parameter.examples;
      parameter.schema = withoutExamples(parameter.schema, document);
    }
  }

  function prepare(document) {
    var parameters = (document.components && document.components.parameters) || {};
    Object.keys(parameters).forEach(function (name) {
      clearExamples(parameters[name], document);
    });
    Object.keys(document.paths || {}).forEach(function (path) {
      var item = document.paths[path];
      (item.parameters || []).forEach(function (parameter) {
        clearExamples(parameter, document);
      });
      Object.keys(item).forEach(function (method) {
        ((item[method] && item[method].parameters) || []).forEach(function (parameter) {
          clearExamples(parameter, document);
        });
      });
    });
    return document;
  }

  function render(options) {
    window.ui = SwaggerUIBundle(Object.assign({
      dom_id: "#swagger-ui",
      deepLinking: true,
      tryItOutEnabled: true,
      persistAuthorization: false,
      displayRequestDuration: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      // no badge from validator.swagger.io: the page loads nothing from elsewhere
      validatorUrl: null,
    }, options));
  }

  fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (document) {
      render({ spec: prepare(document) });
    })
    .catch(function () {
      // the document as served, examples and all
      render({ url: "/openapi.json" });
    });
})();
