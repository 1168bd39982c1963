using System;
using Micro.Runtime.Format;

namespace Micro.Runtime
{
    /// <summary>
    /// The one error a blob can cause: thrown by Model.Load (never later) with a code from ErrorCodes and a
    /// message naming the field and the bad value.
    /// </summary>
    public class BlobFormatException : Exception
    {
        public readonly int Code;

        public BlobFormatException(int code, string message)
            : base(ErrorCodes.Name(code) + ": " + message)
        {
            Code = code;
        }
    }
}
