// Swagger UI over rv-feed's own OpenAPI document. "Authorize" takes an API key; it stays in
// this page only (persistAuthorization is off), and "Try it out" calls this server.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  // no badge from validator.swagger.io: the page loads nothing from elsewhere
  validatorUrl: null,
});
