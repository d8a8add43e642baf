/** dbfork's public API: named exports only. */
export * from './errors/index.js';
export { redactUri, scrub, stripUriCredentials } from './core/redact.js';
export { TOOL_VERSION } from './core/version.js';
export { connectMongo, type ConnectOptions } from './source/mongodb/connect.js';
export { runDoctor, type DoctorReport } from './source/mongodb/doctor.js';
export {
  probeCapabilities,
  type Capability,
  type CapabilityName,
} from './source/mongodb/probe-capabilities.js';
export * from './archive/index.js';
export * from './config/index.js';
export * from './transform/index.js';
export * from './policy/index.js';
