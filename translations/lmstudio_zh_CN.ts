<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>lmc::MetricsPanel</name>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>码率</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation>mPSNR</translation>
    </message>
    <message>
        <source>log-PSNR</source>
        <translation>log-PSNR</translation>
    </message>
    <message>
        <source>PU21-PSNR</source>
        <translation>PU21-PSNR</translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation>PU21-SSIM</translation>
    </message>
    <message>
        <source>Encode</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Size of the complete compressed stream, header included.</source>
        <translation>完整压缩码流的大小（含文件头）。</translation>
    </message>
    <message>
        <source>Bits per texel: bytes × 8 / texels.</source>
        <translation>每纹素比特数：字节数 × 8 / 纹素数。</translation>
    </message>
    <message>
        <source>Compression ratio against uncompressed half-float RGB (48 bits per texel).</source>
        <translation>相对于未压缩的半精度浮点 RGB（每纹素 48 位）的压缩比。</translation>
    </message>
    <message>
        <source>Wall time of the encoder on this machine.</source>
        <translation>编码器在本机上的实际耗时。</translation>
    </message>
    <message>
        <source>Wall time of the decoder on this machine.</source>
        <translation>解码器在本机上的实际耗时。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>number and unit</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 B (%2)</source>
        <translation>%1 字节（%2）</translation>
    </message>
    <message>
        <source>%1 : 1</source>
        <translation>%1 : 1</translation>
    </message>
    <message>
        <source>bpp</source>
        <translation>bpp</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Multi-exposure PSNR (Munkberg et al. 2006): PSNR of the gamma-encoded image averaged over the exposures that span the lightmap&apos;s range.</source>
        <translation>多重曝光 PSNR（Munkberg 等，2006）：在覆盖该光照贴图亮度范围的各个曝光下计算伽马编码图像的 PSNR，再取平均。</translation>
    </message>
    <message>
        <source>PSNR of log2(1 + x / E), E = median lit luminance: a given ratio of error weighs the same in shadows and highlights.</source>
        <translation>log2(1 + x / E) 的 PSNR，E 为受光纹素亮度的中位数：相同比例的误差在暗部和亮部的权重相同。</translation>
    </message>
    <message>
        <source>PSNR in PU21 perceptually uniform units (Mantiuk &amp; Azimi 2021), the median lit surface shown at 50 cd/m².</source>
        <translation>以 PU21 感知均匀单位计算的 PSNR（Mantiuk 与 Azimi，2021），受光表面亮度的中位数按 50 cd/m² 显示。</translation>
    </message>
    <message>
        <source>Structural similarity (SSIM) of PU21-encoded luminance; 1 means identical.</source>
        <translation>PU21 编码亮度的结构相似性（SSIM）；1 表示完全相同。</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>完全相同</translation>
    </message>
</context>
<context>
    <name>lmc::studio::CodecText</name>
    <message>
        <source>JPEG-HDR</source>
        <translation>JPEG-HDR</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>JPEG quality (1 = smallest, 100 = best); higher spends more bits.</source>
        <translation>JPEG 质量（1 = 最小，100 = 最好）；数值越高，占用的比特越多。</translation>
    </message>
    <message>
        <source>Chroma</source>
        <translation>色度</translation>
    </message>
    <message>
        <source>Colour resolution: 444 keeps every texel&apos;s colour, 420 halves it in both directions.</source>
        <translation>色彩分辨率：444 保留每个纹素的颜色，420 在水平和垂直方向上各减半。</translation>
    </message>
    <message>
        <source>4:4:4 (full colour)</source>
        <translation>4:4:4（全色度）</translation>
    </message>
    <message>
        <source>4:2:0 (half colour)</source>
        <translation>4:2:0（半色度）</translation>
    </message>
    <message>
        <source>Log-luminance and log-chroma-ratio planes in an 8-bit JPEG (libjpeg-turbo), ranges in the header.</source>
        <translation>将对数亮度平面和对数色度比平面存入 8 位 JPEG（libjpeg-turbo），取值范围记录在文件头中。</translation>
    </message>
    <message>
        <source>BC6H</source>
        <translation>BC6H</translation>
    </message>
    <message>
        <source>DirectX BC6H block compression (8 bits per texel), written as a DDS file GPUs load directly.</source>
        <translation>DirectX BC6H 块压缩（每纹素 8 位），保存为 GPU 可直接加载的 DDS 文件。</translation>
    </message>
    <message>
        <source>Encoder effort: how many modes, partitions and endpoint refinements are searched (the bitrate is always 8 bits per texel).</source>
        <translation>编码器投入：搜索多少种模式、分区和端点细化（码率始终为每纹素 8 位）。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>BC6H_UF16 (unsigned, negative values clamp to 0) or BC6H_SF16 (signed).</source>
        <translation>BC6H_UF16（无符号，负值截为 0）或 BC6H_SF16（有符号）。</translation>
    </message>
    <message>
        <source>Fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>UF16 (unsigned)</source>
        <translation>UF16（无符号）</translation>
    </message>
    <message>
        <source>SF16 (signed)</source>
        <translation>SF16（有符号）</translation>
    </message>
    <message>
        <source>ASTC HDR</source>
        <translation>ASTC HDR</translation>
    </message>
    <message>
        <source>GPU-native ASTC with the HDR profile (libastcenc), 0.89 to 8 bits per texel by block footprint.</source>
        <translation>GPU 原生支持的 ASTC 格式，使用 HDR 配置（libastcenc），按块尺寸为每纹素 0.89 到 8 位。</translation>
    </message>
    <message>
        <source>Block footprint</source>
        <translation>块尺寸</translation>
    </message>
    <message>
        <source>Texels per 128-bit block: 12x12 = 0.89 bpp up to 4x4 = 8 bpp; smaller blocks keep more.</source>
        <translation>每个 128 位块覆盖的纹素：从 12x12 = 0.89 bpp 到 4x4 = 8 bpp；块越小，保留的细节越多。</translation>
    </message>
    <message>
        <source>Effort</source>
        <translation>编码强度</translation>
    </message>
    <message>
        <source>Encoder search effort: slower presets find better blocks at the same bitrate.</source>
        <translation>编码器的搜索强度：较慢的预设能在相同码率下找到更好的块。</translation>
    </message>
    <message>
        <source>Fastest</source>
        <translation>最快</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中等</translation>
    </message>
    <message>
        <source>Thorough</source>
        <translation>全面</translation>
    </message>
    <message>
        <source>Exhaustive</source>
        <translation>穷举</translation>
    </message>
</context>
<context>
    <name>lmc::studio::CommandLine</name>
    <message>
        <source>Compare HDR lightmap codecs interactively.</source>
        <translation>交互式比较 HDR 光照贴图编解码器。</translation>
    </message>
    <message>
        <source>Save a PNG of the window once the first result is shown, then exit.</source>
        <translation>显示第一个结果后将窗口保存为 PNG 图片，然后退出。</translation>
    </message>
    <message>
        <source>User interface language: en or zh_CN.</source>
        <translation>界面语言：en 或 zh_CN。</translation>
    </message>
    <message>
        <source>OpenEXR lightmap to open (default: the sample).</source>
        <translation>要打开的 OpenEXR 光照贴图（默认：示例文件）。</translation>
    </message>
    <message>
        <source>Only one file can be opened: %1</source>
        <translation>只能打开一个文件：%1</translation>
    </message>
    <message>
        <source>--screenshot needs a file name.</source>
        <translation>--screenshot 需要一个文件名。</translation>
    </message>
    <message>
        <source>Unknown language &apos;%1&apos; (use en or zh_CN).</source>
        <translation>未知语言“%1”（请使用 en 或 zh_CN）。</translation>
    </message>
</context>
<context>
    <name>lmc::studio::ErrorText</name>
    <message>
        <source>A setting is out of range or not recognised.</source>
        <translation>某项设置超出范围或无法识别。</translation>
    </message>
    <message>
        <source>The file could not be opened, read or written.</source>
        <translation>无法打开、读取或写入该文件。</translation>
    </message>
    <message>
        <source>The file is damaged or is not what it claims to be.</source>
        <translation>文件已损坏，或与其声明的格式不符。</translation>
    </message>
    <message>
        <source>The file uses a feature this program does not support.</source>
        <translation>该文件使用了本程序不支持的功能。</translation>
    </message>
    <message>
        <source>The image is larger than this program accepts.</source>
        <translation>图像尺寸超出了本程序允许的上限。</translation>
    </message>
    <message>
        <source>The operation was cancelled.</source>
        <translation>操作已取消。</translation>
    </message>
    <message>
        <source>An unexpected internal error occurred.</source>
        <translation>发生了意外的内部错误。</translation>
    </message>
</context>
<context>
    <name>lmc::studio::MainWindow</name>
    <message>
        <source>changing the codec</source>
        <translation>切换编解码器</translation>
    </message>
    <message>
        <source>changing a parameter</source>
        <translation>修改参数</translation>
    </message>
    <message>
        <source>choosing a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Open lightmap</source>
        <translation>打开光照贴图</translation>
    </message>
    <message>
        <source>OpenEXR images (*.exr);;All files (*)</source>
        <translation>OpenEXR 图像 (*.exr);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Sample not found</source>
        <translation>未找到示例文件</translation>
    </message>
    <message>
        <source>The bundled sample lightmap is not installed.</source>
        <translation>未安装随附的示例光照贴图。</translation>
    </message>
    <message>
        <source>About Lightmap Codec Studio</source>
        <translation>关于光照贴图编解码工作室</translation>
    </message>
    <message>
        <source>&lt;b&gt;Lightmap Codec Studio&lt;/b&gt;&lt;p&gt;Compresses baked HDR lightmaps with traditional and learned codecs and compares the results side by side.&lt;/p&gt;</source>
        <translation>&lt;b&gt;光照贴图编解码工作室&lt;/b&gt;&lt;p&gt;使用传统编解码器和基于学习的编解码器压缩烘焙的 HDR 光照贴图，并将结果并排比较。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>changing the language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open an OpenEXR lightmap (Ctrl+O); you can also drop a file on the window</source>
        <translation>打开 OpenEXR 光照贴图（Ctrl+O）；也可以将文件拖放到窗口中</translation>
    </message>
    <message>
        <source>Open &amp;Sample</source>
        <translation>打开示例(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清除列表(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>Fit the image to the view (0 or double-click)</source>
        <translation>缩放图像以适应视图（0 键或双击）</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>One texel per screen pixel (1)</source>
        <translation>每个纹素对应一个屏幕像素（1 键）</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Fl&amp;ip A/B</source>
        <translation>交换 A/B(&amp;I)</translation>
    </message>
    <message>
        <source>Swap which image is left of the divider (F or Space)</source>
        <translation>交换分隔线左右两侧的图像（F 键或空格键）</translation>
    </message>
    <message>
        <source>&amp;Auto Exposure</source>
        <translation>自动曝光(&amp;A)</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Expose so the average lit texel shows as middle grey (E)</source>
        <translation>调整曝光，使受光纹素的平均亮度显示为中灰（E 键）</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>压缩</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>编解码器</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation>曝光</translation>
    </message>
    <message>
        <source> EV</source>
        <translation> EV</translation>
    </message>
    <message>
        <source>Display exposure in stops; it changes only the view, not the compression.</source>
        <translation>显示曝光（单位：档）；只影响显示，不影响压缩。</translation>
    </message>
    <message>
        <source>Reconstruction quality</source>
        <translation>重建质量</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Open a lightmap with File ▸ Open…, or drop an .exr file here.</source>
        <translation>通过“文件 ▸ 打开…”打开光照贴图，或将 .exr 文件拖放到此处。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The translation for %1 could not be loaded.</source>
        <translation>无法加载 %1 的翻译。</translation>
    </message>
    <message>
        <source>showing a reconstruction</source>
        <translation>显示重建结果</translation>
    </message>
    <message>
        <source>showing the metrics</source>
        <translation>显示质量指标</translation>
    </message>
    <message>
        <source>reporting a codec error</source>
        <translation>报告编解码器错误</translation>
    </message>
    <message>
        <source>Compression failed: %1</source>
        <translation>压缩失败：%1</translation>
    </message>
    <message>
        <source>Compression failed</source>
        <translation>压缩失败</translation>
    </message>
    <message>
        <source>Updated %1 ms after the change</source>
        <translation>修改后 %1 毫秒完成更新</translation>
    </message>
    <message>
        <source>opening a file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>loading a file</source>
        <translation>加载文件</translation>
    </message>
    <message>
        <source>Could not open %1.</source>
        <translation>无法打开 %1。</translation>
    </message>
    <message>
        <source>Cannot open lightmap</source>
        <translation>无法打开光照贴图</translation>
    </message>
    <message>
        <source>Lightmap Codec Studio</source>
        <translation>光照贴图编解码工作室</translation>
    </message>
    <message>
        <source>%1 — Lightmap Codec Studio</source>
        <translation>%1 — 光照贴图编解码工作室</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>无图像</translation>
    </message>
    <message>
        <source>%1 × %2 texels, %3 %4, %5</source>
        <translation>%1 × %2 纹素，%3 %4，%5</translation>
    </message>
    <message>
        <source>Range %1 … %2</source>
        <translation>取值范围 %1 … %2</translation>
    </message>
    <message>
        <source>Covered texels: %1%</source>
        <translation>覆盖纹素：%1%</translation>
    </message>
    <message numerus="yes">
        <source>%n non-finite value(s)</source>
        <translation>
            <numerusform>%n 个非有限值</numerusform>
        </translation>
    </message>
    <message>
        <source>A: Original</source>
        <translation>A：原图</translation>
    </message>
    <message>
        <source>B: %1, %2 bpp</source>
        <translation>B：%1，%2 bpp</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B：%1</translation>
    </message>
    <message>
        <source>Texel %1, %2   original %3</source>
        <translation>纹素 %1, %2   原图 %3</translation>
    </message>
    <message>
        <source>   reconstruction %1</source>
        <translation>   重建 %1</translation>
    </message>
    <message>
        <source>   (not covered)</source>
        <translation>   （未覆盖）</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>An error occurred while %1: %2</source>
        <translation>%1时发生错误：%2</translation>
    </message>
    <message>
        <source>An unknown error occurred while %1.</source>
        <translation>%1时发生未知错误。</translation>
    </message>
    <message>
        <source>&amp;Dim Uncovered Texels</source>
        <translation>调暗未覆盖纹素(&amp;D)</translation>
    </message>
    <message>
        <source>Darken gutter texels outside the UV charts; the metrics ignore them</source>
        <translation>调暗 UV 图块之外的间隙纹素；质量指标会忽略这些纹素</translation>
    </message>
</context>
</TS>
