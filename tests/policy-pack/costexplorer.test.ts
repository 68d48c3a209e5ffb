import { describe } from "mocha";
import { complies, factory, violates } from "../support/policy-cases";

const monitor = factory("aws:costexplorer/anomalyMonitor:AnomalyMonitor", "services", {
  name: "huntaze-production-account-services",
  monitorType: "DIMENSIONAL",
  monitorDimension: "SERVICE",
});

describe("Cost Explorer rules", () => {
  complies({
    rule: "costexplorer-one-services-monitor",
    title: "one AWS-services monitor and a CUSTOM one",
    resources: [
      monitor(),
      monitor(
        { name: "tagged", monitorType: "CUSTOM", monitorDimension: undefined, monitorSpecification: "{}" },
        { name: "custom" },
      ),
    ],
  });
  violates({
    rule: "costexplorer-one-services-monitor",
    title: "two AWS-services monitors",
    resources: [monitor(), monitor({ name: "second" }, { name: "second" })],
    message: /anomaly monitor second is a second AWS-services \(DIMENSIONAL\) monitor after services/,
  });
});
