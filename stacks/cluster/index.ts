// The cluster phase's entry point: `pulumi -C stacks/cluster up` runs this, and so does `npm run plan`.
import { main } from "./main";

export = main;
