namespace Micro.Tooling.Boards;

/// <summary>How the PPG sensor is wired: part, I2C bus and address, pins (the interrupt pin is optional).</summary>
public sealed record SensorConnection(string Part, int I2cBus, int I2cAddress, BoardPin SdaPin, BoardPin SclPin, BoardPin? IntPin);
