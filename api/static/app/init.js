// Starts the NHS.UK frontend components (progressive enhancement: pages work without it).
import { initAll } from '/static/nhsuk/nhsuk-frontend.min.js'

initAll()
