// Compile-only reference declaration: lets host builds compile device code. Not the real implementation;
// every member throws NotSupportedException. Signature source: nanoframework/CoreLibrary (main, nanoFramework.CoreLibrary/System/SpanByte.cs), package nanoFramework.CoreLibrary 1.17.x.

namespace System
{
    /// <summary>nanoFramework 1.x byte span (there is no Span&lt;T&gt; without generics).</summary>
    public readonly ref struct SpanByte
    {
        public SpanByte(byte[] array) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public SpanByte(byte[] array, int start, int length) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public byte this[int index]
        {
            get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
            set { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
        }

        public static SpanByte Empty { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public int Length { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public bool IsEmpty { get { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); } }

        public void CopyTo(SpanByte destination) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public SpanByte Slice(int start) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public SpanByte Slice(int start, int length) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public byte[] ToArray() { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }

        public static implicit operator SpanByte(byte[] array) { throw new NotSupportedException("compile-only reference declaration; the real package runs on the device"); }
    }
}
