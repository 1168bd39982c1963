using System;
using Micro.Runtime;

namespace Micro.App
{
    /// <summary>A stored blob may run when Model.Load accepts it (CRC, full validation) and its self-test passes.</summary>
    public sealed class SelfTestCheck : IBlobCheck
    {
        public bool Accept(byte[] blob, out string why)
        {
            why = null;
            if (blob == null) { why = "no blob"; return false; }
            try
            {
                SelfTestResult r = ModelSelfTest.Run(Model.Load(blob), null);
                if (r.Ok) return true;
                why = r.Message;
            }
            catch (BlobFormatException e)
            {
                why = e.Message;
            }
            return false;
        }
    }
}
