import { costexplorer } from "../lib/aws-types";
import { isUnknown, stackPolicy } from "../lib/inspect";
import { isServicesAnomalyMonitor } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const oneServicesMonitor = stackPolicy({
  name: "costexplorer-one-services-monitor",
  summary:
    "A stack declares at most one AWS-services (DIMENSIONAL / SERVICE) cost anomaly monitor: an account holds one, and AWS refuses a second (adopt the existing one: CostTracking anomalyMonitor.existingArn). Across the stacks of one account, `preview --all` checks the same",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue: "an account quota of Cost Anomaly Detection, not a control (AWS refuses the call)",
  },
  resourceTypes: costexplorer.anomalyMonitor,
  check: (s) => {
    const monitors = s.ofType(costexplorer.anomalyMonitor);
    if (monitors.some((m) => isUnknown(m.props.monitorType))) s.unknown("monitorType");
    const services = monitors.filter((m) => isServicesAnomalyMonitor(m.props));
    for (const extra of services.slice(1))
      s.report(
        extra,
        `anomaly monitor ${extra.name} is a second AWS-services (DIMENSIONAL) monitor after ${services[0]?.name}: an account holds one; subscribe to the existing monitor instead of creating another`,
      );
  },
});

export const costexplorerPolicies: HuntazePolicy[] = [oneServicesMonitor];
