using System;
using Micro.HeartRate.Protocol;
using Micro.Runtime.Format;

namespace Micro.App
{
    /// <summary>
    /// The boot report: what the device started with, as "MHI" info lines on the alert stream right after the
    /// BOOT line (docs/alert-protocol.md, "Boot report"), so Release firmware, where Debug.WriteLine is
    /// compiled out, still says which model runs or why none does:
    /// <code>MHI,1,&lt;uptime_ms&gt;,fw=0.4.0,blob=3,heap=51200*CRC16
    /// MHI,1,&lt;uptime_ms&gt;,model=I:\heart-rate.mblob,st=8/8,stus=97854*CRC16</code>
    /// then, when a source failed or no model runs, <c>MHI,1,&lt;uptime_ms&gt;,why=&lt;reason&gt;*CRC16</c>.
    /// Each line stays within 80 bytes whatever the values (the longest: model= with 24 characters, a failed
    /// self-test of 64 vectors and 10-digit numbers is 79).
    /// Same framing as the alert lines (printable ASCII, no spaces, CRC-16/CCITT-FALSE of the bytes before
    /// '*', at most 80 bytes); a different tag, so an alert reader never mistakes one for an alarm. Built once
    /// at boot (it allocates; the alarm loop does not).
    /// </summary>
    public static class BootReport
    {
        public const string Tag = "MHI";
        public const int Version = 1;

        /// <summary>The report's lines, each ending in "\n". firmware: a version string; freeHeap: bytes, or
        /// -1 where the platform cannot say; model may be null (built without a model).</summary>
        public static byte[][] Lines(long uptimeMs, string firmware, ModelLoadResult model, long freeHeap)
        {
            string head = Tag + "," + Version + "," + uptimeMs + ",";
            string versions = head + "fw=" + Token(firmware, 16) + ",blob=" + BlobLayout.FormatVersion
                + ",heap=" + (freeHeap < 0 ? "-" : freeHeap.ToString());
            string source = head + "model=" + (model == null ? "none" : model.HasModel ? Token(model.Source, 24) : "none")
                + ",st=" + SelfTest(model == null ? null : model.SelfTest)
                + ",stus=" + (model == null || model.SelfTest == null || model.SelfTest.Micros < 0 ? "-" : model.SelfTest.Micros.ToString());
            if (model == null || model.Message == null) return new byte[][] { Seal(versions), Seal(source) };
            string why = head + "why=";
            why += Token(model.Message, AlertProtocol.MaxLineLength - 6 - why.Length);
            return new byte[][] { Seal(versions), Seal(source), Seal(why) };
        }

        private static string SelfTest(SelfTestResult r)
        {
            if (r == null || !r.Present) return "none";
            return (r.Ok ? "" : "fail:") + r.Passed + "/" + r.Vectors;
        }

        /// <summary>Printable ASCII without the separators: space → '_', ',' → ';', '*' → '+', anything else
        /// outside 0x21..0x7E → '?', cut to max characters.</summary>
        public static string Token(string text, int max)
        {
            if (text == null) return "-";
            int n = text.Length < max ? text.Length : max;
            char[] c = new char[n];
            for (int i = 0; i < n; i++)
            {
                char x = text[i];
                if (x == ' ') x = '_';
                else if (x == ',') x = ';';
                else if (x == '*') x = '+';
                else if (x < (char)0x21 || x > (char)0x7E) x = '?';
                c[i] = x;
            }
            return new string(c);
        }

        /// <summary>body + "*" + CRC-16 (4 upper-case hex digits) + "\n" as ASCII bytes.</summary>
        private static byte[] Seal(string body)
        {
            if (body.Length + 6 > AlertProtocol.MaxLineLength) body = body.Substring(0, AlertProtocol.MaxLineLength - 6);
            byte[] b = new byte[body.Length + 6];
            for (int i = 0; i < body.Length; i++) b[i] = (byte)body[i];
            int crc = Crc16.Compute(b, 0, body.Length);
            b[body.Length] = (byte)'*';
            for (int k = 0; k < 4; k++)
            {
                int d = (crc >> (12 - 4 * k)) & 0xF;
                b[body.Length + 1 + k] = (byte)(d < 10 ? '0' + d : 'A' + d - 10);
            }
            b[body.Length + 5] = (byte)'\n';
            return b;
        }
    }
}
