// EnhancedCostMonitoring: the library the AI services import (seed 002 §4, seed 003 §12).
export * from "./contract";
export {
  type CostEntry,
  type CostEntryInput,
  CostInputError,
  type CostTotal,
  type DateRange,
  MICRO_PER_USD,
  microToUsd,
  usdToMicro,
} from "./core";
export * from "./monitoring";
