// Starts Swagger UI on /docs (no inline script: the page's Content-Security-Policy forbids it).
/* global SwaggerUIBundle */
const root = document.getElementById('swagger-ui')
window.ui = SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
})
