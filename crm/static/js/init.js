// Starts the NHS.UK frontend components. Loaded as a module, so browsers too
// old for modules get the plain HTML, which works on its own.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
