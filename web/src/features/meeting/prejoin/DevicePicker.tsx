import { useId } from 'react';
import { strings } from '../../../i18n/strings';
import type { DeviceOption } from '../../../media/devices';

export interface DevicePickerProps {
  /** Shown above the list, e.g. "Camera". */
  label: string;
  /** A bootstrap-icons name without the "bi-" prefix. */
  icon: string;
  devices: DeviceOption[];
  /** The device in use or chosen; the first one is shown when it is not in the list. */
  value: string | undefined;
  onChange: (deviceId: string) => void;
  disabled?: boolean;
}

/** A labelled list of the cameras, microphones or speakers; switching calls onChange at once. */
export function DevicePicker({ label, icon, devices, value, onChange, disabled = false }: DevicePickerProps) {
  const id = useId();
  const selected = devices.some((d) => d.deviceId === value) ? value : (devices[0]?.deviceId ?? '');
  return (
    <div>
      <label htmlFor={id} className="form-label small text-secondary mb-1">
        <i className={`bi bi-${icon} me-1`} aria-hidden="true" />
        {label}
      </label>
      <select
        id={id}
        className="form-select form-select-sm"
        value={selected}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || devices.length === 0}
      >
        {devices.length === 0 ? (
          <option value="">{strings.prejoin.noDevice(label.toLowerCase())}</option>
        ) : (
          devices.map((device, i) => (
            // Before access is granted browsers list devices without a label (and sometimes without an id).
            <option key={device.deviceId || `unnamed-${i}`} value={device.deviceId}>
              {device.label || strings.prejoin.unnamedDevice(label, i + 1)}
            </option>
          ))
        )}
      </select>
    </div>
  );
}
