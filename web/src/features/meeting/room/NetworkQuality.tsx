import { useEffect, useId, useState } from 'react';
import OverlayTrigger from 'react-bootstrap/OverlayTrigger';
import Tooltip from 'react-bootstrap/Tooltip';
import { strings } from '../../../i18n/strings';
import { NetworkMonitor, UNKNOWN_QUALITY, type NetworkQuality, type StatsSource } from '../../../meeting/networkQuality';

/** Polls the client's transports while the room is shown; the timer stops when it unmounts. */
export function useNetworkQuality(client: { mediaTransports(): StatsSource[] }): NetworkQuality {
  const [quality, setQuality] = useState<NetworkQuality>(UNKNOWN_QUALITY);
  useEffect(() => {
    const monitor = new NetworkMonitor(() => client.mediaTransports(), setQuality);
    monitor.start();
    return () => monitor.stop();
  }, [client]);
  return quality;
}

const BARS: Record<NetworkQuality['level'], number> = { good: 3, fair: 2, poor: 1, unknown: 0 };
const COLOURS: Record<NetworkQuality['level'], string> = { good: '#34a853', fair: '#fbbc04', poor: '#ea4335', unknown: '#9aa0a6' };

export function networkLabel(quality: NetworkQuality): string {
  return strings.roomMedia.networkLabel(strings.roomMedia.network[quality.level]);
}

/** Three bars, like a phone's signal: green, amber or red; the numbers in a tooltip (hover or focus). */
export function NetworkQualityIndicator({ quality }: { quality: NetworkQuality }) {
  const tooltipId = useId();
  const label = networkLabel(quality);
  const details = strings.roomMedia.networkDetails(quality.rttMs, quality.lossPct);
  const lit = BARS[quality.level];
  const tooltip = (
    <Tooltip id={tooltipId}>
      <div>{label}</div>
      {details && <div>{details}</div>}
      {quality.limitation === 'bandwidth' && <div>{strings.roomMedia.networkLimited}</div>}
    </Tooltip>
  );
  return (
    <OverlayTrigger placement="bottom" overlay={tooltip} trigger={['hover', 'focus']}>
      <span
        className="network-quality d-inline-flex align-items-end flex-shrink-0"
        style={{ gap: 2, height: 16, padding: 2 }}
        role="img"
        tabIndex={0}
        aria-label={details ? `${label} (${details})` : label}
        data-testid="network-quality"
        data-level={quality.level}
      >
        {[1, 2, 3].map((bar) => (
          <span
            key={bar}
            aria-hidden="true"
            style={{
              width: 4,
              height: 4 + bar * 3,
              borderRadius: 1,
              background: bar <= lit ? COLOURS[quality.level] : 'rgba(255, 255, 255, 0.3)',
            }}
          />
        ))}
      </span>
    </OverlayTrigger>
  );
}

/** The indicator for the person's own connection, fed by the client's transports. */
export function ConnectionIndicator({ client }: { client: { mediaTransports(): StatsSource[] } }) {
  return <NetworkQualityIndicator quality={useNetworkQuality(client)} />;
}
