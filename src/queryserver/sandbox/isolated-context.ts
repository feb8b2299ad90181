import vm from "node:vm";

/**
 * A V8 context that cannot reach the host: created from a null-prototype object (a plain `{}`
 * would let `this.constructor.constructor` find the host's Function), with string code
 * generation (eval, Function) and WebAssembly disabled.
 */
export function isolatedContext(): vm.Context {
  return vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
}
