import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DeviceOption } from '../../../media/devices';
import { DevicePicker } from './DevicePicker';

const cameras: DeviceOption[] = [
  { deviceId: 'cam-1', groupId: 'g1', label: 'FaceTime HD Camera' },
  { deviceId: 'cam-2', groupId: 'g2', label: 'USB Camera' },
];

describe('DevicePicker', () => {
  it('lists the devices under its label and reports a switch', () => {
    const onChange = vi.fn();
    render(<DevicePicker label="Camera" icon="camera-video" devices={cameras} value="cam-2" onChange={onChange} />);
    const select = screen.getByLabelText('Camera');
    expect(select).toHaveDisplayValue('USB Camera');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['FaceTime HD Camera', 'USB Camera']);
    fireEvent.change(select, { target: { value: 'cam-1' } });
    expect(onChange).toHaveBeenCalledWith('cam-1');
  });

  it('shows the first device when the value is unknown', () => {
    render(<DevicePicker label="Camera" icon="camera-video" devices={cameras} value="gone" onChange={() => undefined} />);
    expect(screen.getByLabelText('Camera')).toHaveDisplayValue('FaceTime HD Camera');
  });

  it('names devices the browser has not labelled yet', () => {
    const unlabelled = [
      { deviceId: '', groupId: '', label: '' },
      { deviceId: 'x', groupId: '', label: '' },
    ];
    render(<DevicePicker label="Microphone" icon="mic" devices={unlabelled} value={undefined} onChange={() => undefined} />);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Microphone 1', 'Microphone 2']);
  });

  it('says there is no device, disabled', () => {
    render(<DevicePicker label="Camera" icon="camera-video" devices={[]} value={undefined} onChange={() => undefined} />);
    expect(screen.getByLabelText('Camera')).toBeDisabled();
    expect(screen.getByLabelText('Camera')).toHaveDisplayValue('No camera found');
  });
});
