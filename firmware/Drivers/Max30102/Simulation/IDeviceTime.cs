namespace Micro.Drivers.Simulation
{
    /// <summary>
    /// The time the simulated chip lives in, in µs since an arbitrary start, never going backwards. A test
    /// moves it by hand; on nanoCLR it is the interpreter's elapsed time × a slow-down factor (the time a
    /// slower board would have spent on the same code).
    /// </summary>
    public interface IDeviceTime
    {
        /// <summary>Device time now, µs.</summary>
        long DeviceMicroseconds { get; }
    }
}
