import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** One change of an alarm's state. */
export interface AlarmStateChange {
  /** When it changed. */
  readonly at: Date;
  /** The state it changed to: `ALARM`, `OK` or `INSUFFICIENT_DATA`. */
  readonly state: string;
}

/** The CloudWatch alarm calls the operator commands make, through the official SDK client of one region (injected, so tests mock it). */
export class CloudWatchAlarms {
  constructor(private readonly client: CloudWatchClient) {}

  /** The names of the alarms whose name starts with `prefix` that are in ALARM now. */
  async firing(prefix: string): Promise<string[]> {
    const { MetricAlarms = [] } = await this.client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, StateValue: 'ALARM' }));
    return MetricAlarms.map((alarm) => alarm.AlarmName ?? 'unnamed');
  }

  /**
   * The state changes of one alarm since a moment, oldest first. Each StateUpdate history item's
   * HistoryData is JSON whose `newState.stateValue` is the state it went to (as in the CLI
   * reference's describe-alarm-history example).
   */
  async stateChanges(alarmName: string, since: Date): Promise<AlarmStateChange[]> {
    const { AlarmHistoryItems = [] } = await this.client.send(
      new DescribeAlarmHistoryCommand({ AlarmName: alarmName, HistoryItemType: 'StateUpdate', StartDate: since, ScanBy: 'TimestampAscending', MaxRecords: 100 }),
    );
    return AlarmHistoryItems.flatMap((item) => {
      const state = (JSON.parse(item.HistoryData ?? '{}') as { newState?: { stateValue?: string } }).newState?.stateValue;
      return item.Timestamp === undefined || state === undefined ? [] : [{ at: item.Timestamp, state }];
    });
  }
}
