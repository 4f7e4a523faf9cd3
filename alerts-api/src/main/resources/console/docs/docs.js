// Renders /openapi.json with the bundled Swagger UI. No validator badge (it would call validator.swagger.io), and
// "Try it out" sends requests to this origin only, with the bearer token typed into "Authorize" (kept in memory).
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    validatorUrl: null,
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
  });
});
