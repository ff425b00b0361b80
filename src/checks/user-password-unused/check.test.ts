import { describeCases } from "../test-support/cases.js";
import check from "./check.js";

describeCases(check, import.meta.url);
