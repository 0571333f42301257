// The reference platform's entry point: `pulumi up` runs this, and so does `npm run plan`.
import { main } from "./main";

export = main;
