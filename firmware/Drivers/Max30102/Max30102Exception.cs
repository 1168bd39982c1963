using System;

namespace Micro.Drivers
{
    /// <summary>Thrown only by <see cref="Max30102.Initialize"/>, once, at start-up; reads never throw.</summary>
    public class Max30102Exception : Exception
    {
        /// <summary>Creates the exception.</summary>
        public Max30102Exception(Max30102Error error, string message) : base(message)
        {
            Error = error;
        }

        /// <summary>The error code behind the message.</summary>
        public Max30102Error Error { get; private set; }
    }
}
