namespace Micro.Tooling.Boards;

/// <summary>How the PPG sensor is wired: part, I2C bus and address, pins (the interrupt pin is optional), and the IR
/// level below which the firmware reports no contact (boards/board.schema.json, sensor.contact_min_ir).</summary>
public sealed record SensorConnection(string Part, int I2cBus, int I2cAddress, BoardPin SdaPin, BoardPin SclPin, BoardPin? IntPin, int ContactMinIr);
