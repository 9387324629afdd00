// Entry point: renders the app into #app.
import { render } from "preact";
import { App } from "./shell/App";

const root = document.getElementById("app");
if (root) render(<App />, root);
