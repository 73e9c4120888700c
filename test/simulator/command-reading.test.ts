import { COMMAND, startFrame, stopFrame, setUnitFrame, type Frame } from '../../app/anova/protocol';
import { readCommand, UNOFFICIAL_COMMAND } from '../../app/simulator/commands';
import type { SimCookerType } from '../../app/simulator/types';

const types: Record<string, SimCookerType> = { k7: 'a7', k4: 'a4' };
const read = (frame: Frame) => readCommand(frame, (id) => types[id]);
const start = (payload: Record<string, unknown>): Frame => ({ command: COMMAND.start, requestId: 'r', payload });

describe('readCommand', () => {
  it('reads the documented commands', () => {
    expect(
      read(startFrame('r', { cookerId: 'k7', type: 'a7', targetTemperature: 57.5, unit: 'C', timer: 7200 })),
    ).toEqual({
      kind: 'action',
      cookerId: 'k7',
      action: { kind: 'start', targetC: 57.5, timerSeconds: 7200 },
      unofficial: false,
    });
    expect(read(stopFrame('r', { cookerId: 'k4', type: 'a4' }))).toMatchObject({
      kind: 'action',
      action: { kind: 'stop' },
    });
    expect(read(setUnitFrame('r', { cookerId: 'k4', type: 'a4', unit: 'F' }))).toMatchObject({
      kind: 'action',
      action: { kind: 'set-unit', unit: 'F' },
    });
  });

  it('converts a Fahrenheit target to °C', () => {
    const r = read(start({ cookerId: 'k7', type: 'a7', targetTemperature: 140, unit: 'F', timer: 0 }));
    expect(r.kind === 'action' && r.action.kind === 'start' && r.action.targetC).toBeCloseTo(60, 9);
  });

  it.each([
    [
      'cookTimeSeconds instead of timer',
      { cookerId: 'k7', type: 'a7', targetTemperature: 60, unit: 'C', cookTimeSeconds: 60 },
    ],
    ['lowercase unit', { cookerId: 'k7', type: 'a7', targetTemperature: 60, unit: 'c', timer: 60 }],
    [
      'temperatureUnit instead of unit',
      { cookerId: 'k7', type: 'a7', targetTemperature: 60, temperatureUnit: 'C', timer: 60 },
    ],
    ['missing type', { cookerId: 'k7', targetTemperature: 60, unit: 'C', timer: 60 }],
    ['the wrong type', { cookerId: 'k7', type: 'a4', targetTemperature: 60, unit: 'C', timer: 60 }],
    ['a timer in minutes as a fraction', { cookerId: 'k7', type: 'a7', targetTemperature: 60, unit: 'C', timer: 1.5 }],
    ['a target out of range', { cookerId: 'k7', type: 'a7', targetTemperature: 120, unit: 'C', timer: 60 }],
    ['a string target', { cookerId: 'k7', type: 'a7', targetTemperature: '60', unit: 'C', timer: 60 }],
  ])('ignores a START with %s (the device does nothing)', (_name, payload) => {
    expect(read(start(payload))).toMatchObject({ kind: 'ignored', cookerId: 'k7', reason: expect.any(String) });
  });

  it('tells unknown cookers and unknown commands apart', () => {
    expect(read(start({ cookerId: 'nope', type: 'a7', targetTemperature: 60, unit: 'C', timer: 0 }))).toEqual({
      kind: 'unknown-cooker',
    });
    expect(read({ command: COMMAND.stop, requestId: 'r' })).toEqual({ kind: 'unknown-cooker' });
    expect(read({ command: 'CMD_APC_FLY', requestId: 'r', payload: { cookerId: 'k7', type: 'a7' } })).toEqual({
      kind: 'unknown-command',
    });
    expect(read({ command: 'toString', requestId: 'r' })).toEqual({ kind: 'unknown-command' });
  });

  it('marks the commands outside the PAT list as unofficial', () => {
    expect(
      read({
        command: UNOFFICIAL_COMMAND.setTargetTemp,
        payload: { cookerId: 'k7', type: 'a7', targetTemperature: 61, unit: 'C' },
      }),
    ).toEqual({ kind: 'action', cookerId: 'k7', action: { kind: 'set-target', targetC: 61 }, unofficial: true });
    expect(read({ command: UNOFFICIAL_COMMAND.setTimer, payload: { cookerId: 'k4', type: 'a4', timer: 90 } })).toEqual({
      kind: 'action',
      cookerId: 'k4',
      action: { kind: 'set-timer', timerSeconds: 90 },
      unofficial: true,
    });
  });
});
