/** Every environment the app synthesizes. Adding one: a file beside this one, and a line below. */
import type { EnvironmentInput } from "../config/environment";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

export const environments: EnvironmentInput[] = [dev, staging, prod];
