import type { CoveredType } from "./covered-type";

export const types: CoveredType[] = [];
