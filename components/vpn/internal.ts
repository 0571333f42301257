// The VPN folder's second door (never published): pre-shared keys as the links generate them.
export { createPresharedKey, isAwsPresharedKey } from "./preshared-key";
