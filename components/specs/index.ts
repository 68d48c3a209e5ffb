// `@huntaze/hardening/specs`: the validator every component resolves its args with, the shared
// formats, and each component's spec (`<Component>Spec`). A project reads its own stack config
// against a component's spec as this repository's stacks do, and gets the component's own ranges,
// formats, defaults and messages, not a copy of them.
export * from "../spec";
export * from "./formats";
