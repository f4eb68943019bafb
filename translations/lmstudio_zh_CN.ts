<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>lmc::HistogramView</name>
    <message>
        <source>%1% below</source>
        <translation>%1% 低于范围</translation>
    </message>
    <message>
        <source>%1% above</source>
        <translation>%1% 高于范围</translation>
    </message>
    <message>
        <source>%1 … %2: %3% of the texels</source>
        <translation>%1 … %2：占纹素的 %3%</translation>
    </message>
</context>
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
    <message>
        <source>%1 (GPU memory: %2)</source>
        <translation>%1（GPU 显存：%2）</translation>
    </message>
    <message>
        <source>≈%1</source>
        <comment>approximate time</comment>
        <translation>≈%1</translation>
    </message>
    <message>
        <source>Measured while other codecs or sweeps shared the CPU; measured again alone once the app is idle.</source>
        <translation>测量时其他编解码器或扫描共享 CPU；应用空闲后会单独重新测量。</translation>
    </message>
    <message>
        <source>Measured with no other work running in the app.</source>
        <translation>测量时应用中没有其他工作在运行。</translation>
    </message>
</context>
<context>
    <name>lmc::MetricsTable</name>
    <message>
        <source>Copy as TSV</source>
        <translation>复制为 TSV</translation>
    </message>
    <message>
        <source>Copy All Rows</source>
        <translation>复制所有行</translation>
    </message>
</context>
<context>
    <name>lmc::MetricsTableModel</name>
    <message>
        <source>Codec</source>
        <translation>编解码器</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>bpp</source>
        <translation>bpp</translation>
    </message>
    <message>
        <source>mPSNR (dB)</source>
        <translation>mPSNR (dB)</translation>
    </message>
    <message>
        <source>log-PSNR (dB)</source>
        <translation>log-PSNR (dB)</translation>
    </message>
    <message>
        <source>PU21-PSNR (dB)</source>
        <translation>PU21-PSNR (dB)</translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation>PU21-SSIM</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>最大误差</translation>
    </message>
    <message>
        <source>Encode (ms)</source>
        <translation>编码 (毫秒)</translation>
    </message>
    <message>
        <source>Decode (ms)</source>
        <translation>解码 (毫秒)</translation>
    </message>
    <message>
        <source>Bits per texel: bytes × 8 / texels, header included.</source>
        <translation>每纹素比特数：字节 × 8 / 纹素数，含文件头。</translation>
    </message>
    <message>
        <source>Largest absolute difference of any channel, in the image&apos;s own units.</source>
        <translation>任一通道的最大绝对差，以图像自身的单位计。</translation>
    </message>
    <message>
        <source>≈%1</source>
        <comment>approximate time</comment>
        <translation>≈%1</translation>
    </message>
    <message>
        <source>Measured while other codecs or sweeps shared the CPU; measured again alone once the app is idle.</source>
        <translation>测量时其他编解码器或扫描共享 CPU；应用空闲后会单独重新测量。</translation>
    </message>
    <message>
        <source>Measured with no other work running in the app.</source>
        <translation>测量时应用中没有其他工作在运行。</translation>
    </message>
    <message>
        <source>VRAM bpp</source>
        <translation>显存 bpp</translation>
    </message>
    <message>
        <source>Load (ms)</source>
        <translation>加载 (毫秒)</translation>
    </message>
    <message>
        <source>Bits per texel the texture takes in GPU memory: its GPU block format&apos;s, for a codec followed by one.</source>
        <translation>纹理在显存中每纹素占用的比特数：对接了 GPU 格式的编解码器，为该 GPU 块格式的比特数。</translation>
    </message>
    <message>
        <source>Load time of a codec followed by a GPU format: decoding the stored stream plus transcoding it to the GPU format.</source>
        <translation>编解码器后接 GPU 格式时的加载时间：解码存储的码流，再转码为该 GPU 格式。</translation>
    </message>
</context>
<context>
    <name>lmc::RdChartView</name>
    <message>
        <source>mPSNR vs bitrate</source>
        <translation>mPSNR 与码率</translation>
    </message>
    <message>
        <source>PU21-SSIM vs bitrate</source>
        <translation>PU21-SSIM 与码率</translation>
    </message>
    <message>
        <source>Encode and decode time</source>
        <translation>编码与解码时间</translation>
    </message>
    <message>
        <source>Bits per texel</source>
        <translation>每纹素比特数</translation>
    </message>
    <message>
        <source>mPSNR (dB)</source>
        <translation>mPSNR (dB)</translation>
    </message>
    <message>
        <source>Milliseconds</source>
        <translation>毫秒</translation>
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
        <source>PU21-PSNR vs bitrate</source>
        <translation>PU21-PSNR 与码率</translation>
    </message>
    <message>
        <source>Bits per texel (log scale)</source>
        <translation>每纹素比特数（对数刻度）</translation>
    </message>
    <message>
        <source>PU21-PSNR (dB)</source>
        <translation>PU21-PSNR (dB)</translation>
    </message>
    <message>
        <source>mPSNR %1 dB</source>
        <translation>mPSNR %1 dB</translation>
    </message>
    <message>
        <source>PU21-SSIM %1 (%2 dB)</source>
        <translation>PU21-SSIM %1（%2 dB）</translation>
    </message>
    <message>
        <source>PU21-PSNR %1 dB</source>
        <translation>PU21-PSNR %1 dB</translation>
    </message>
    <message>
        <source>%1 bpp</source>
        <translation>%1 bpp</translation>
    </message>
    <message>
        <source>Click to apply this setting</source>
        <translation>点击以应用此设置</translation>
    </message>
    <message>
        <source>PU21-SSIM (dB, −10·log₁₀(1 − SSIM))</source>
        <translation>PU21-SSIM（dB，−10·log₁₀(1 − SSIM)）</translation>
    </message>
    <message>
        <source>%1
encode %2 ms · decode %3 ms</source>
        <translation>%1
编码 %2 毫秒 · 解码 %3 毫秒</translation>
    </message>
</context>
<context>
    <name>lmc::studio::ChartsPanel</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source> bpp</source>
        <translation> bpp</translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation>PU21-SSIM</translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation>mPSNR</translation>
    </message>
    <message>
        <source>Pick a target bitrate or quality to read every codec at it.</source>
        <translation>选择目标码率或目标质量，即可读出每个编解码器在该处的表现。</translation>
    </message>
    <message>
        <source>At %1 bpp: %2 on each codec&apos;s curve and its best setting within that budget, best first.</source>
        <translation>在 %1 bpp 处：各编解码器曲线上的 %2，以及在此预算内的最佳设置，最优者在前。</translation>
    </message>
    <message>
        <source>At %1 dB %2: the bitrate each codec needs and its cheapest setting that reaches it, fewest bits first.</source>
        <translation>在 %1 dB %2 处：各编解码器所需的码率，以及达到该质量的最省码率设置，比特最少者在前。</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>编解码器</translation>
    </message>
    <message>
        <source>%1 (dB)</source>
        <translation>%1（dB）</translation>
    </message>
    <message>
        <source>bpp</source>
        <translation>bpp</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>No swept points yet: run its sweep.</source>
        <translation>尚无扫描点：请先运行其扫描。</translation>
    </message>
    <message>
        <source>&lt; %1</source>
        <translation>&lt; %1</translation>
    </message>
    <message>
        <source>Its lowest setting needs more than %1 bpp.</source>
        <translation>其最低设置所需码率已超过 %1 bpp。</translation>
    </message>
    <message>
        <source>Its lowest setting already exceeds the target; the curve does not go lower.</source>
        <translation>其最低设置已超过目标；曲线无法更低。</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <source>Its highest setting uses fewer bits; the curve ends before the target.</source>
        <translation>其最高设置所用比特更少；曲线在目标之前结束。</translation>
    </message>
    <message>
        <source>No swept setting reaches %1 dB.</source>
        <translation>没有任何扫描设置达到 %1 dB。</translation>
    </message>
    <message>
        <source>%1: %2 bpp, %3 dB</source>
        <translation>%1：%2 bpp，%3 dB</translation>
    </message>
    <message>
        <source>Against %1 on %2: BD-rate is the bitrate change at equal quality (negative saves bits), BD-PSNR the quality change at equal bitrate, over the range both curves cover.</source>
        <translation>以 %1 为参考、按 %2 计算：BD-rate 为同等质量下的码率变化（负值表示节省比特），BD-PSNR 为同等码率下的质量变化，均在两条曲线共同覆盖的范围内计算。</translation>
    </message>
    <message>
        <source>No codec has a rate to sweep.</source>
        <translation>没有可扫描码率的编解码器。</translation>
    </message>
    <message>
        <source>BD-rate</source>
        <translation>BD-rate</translation>
    </message>
    <message>
        <source>BD-SSIM (dB)</source>
        <translation>BD-SSIM（dB）</translation>
    </message>
    <message>
        <source>BD-PSNR</source>
        <translation>BD-PSNR</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠范围</translation>
    </message>
    <message>
        <source>Needs at least two swept points on both curves.</source>
        <translation>两条曲线各需至少两个扫描点。</translation>
    </message>
    <message>
        <source>The curves share no quality range.</source>
        <translation>两条曲线没有共同的质量范围。</translation>
    </message>
    <message>
        <source>The curves share no bitrate range.</source>
        <translation>两条曲线没有共同的码率范围。</translation>
    </message>
    <message>
        <source>The curves share only %1–%2 dB; BD-rate needs at least %3 dB in common.</source>
        <translation>两条曲线仅在 %1–%2 dB 重叠；BD-rate 需要至少 %3 dB 的共同范围。</translation>
    </message>
    <message>
        <source>The curves share only %1–%2 bpp; BD-PSNR needs a 10% wider bitrate range.</source>
        <translation>两条曲线仅在 %1–%2 bpp 重叠；BD-PSNR 需要宽出 10% 的共同码率范围。</translation>
    </message>
    <message>
        <source>The curves cannot be compared (a quality that does not rise with the bitrate).</source>
        <translation>无法比较这两条曲线（质量未随码率上升）。</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>%1–%2 dB</source>
        <translation>%1–%2 dB</translation>
    </message>
    <message>
        <source>%1–%2 bpp</source>
        <translation>%1–%2 bpp</translation>
    </message>
    <message>
        <source>BD-rate is averaged over the shared quality range (%1), BD-PSNR over the shared bitrate range (%2).</source>
        <translation>BD-rate 在共同的质量范围（%1）内取平均，BD-PSNR 在共同的码率范围（%2）内取平均。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Log bitrate axis</source>
        <translation>对数码率轴</translation>
    </message>
    <message>
        <source>Bits per texel on a log scale, so the low rates that matter are not squeezed</source>
        <translation>以对数刻度显示每纹素比特数，使关键的低码率区间不被挤压</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>PU21-SSIM (dB)</source>
        <translation>PU21-SSIM（分贝）</translation>
    </message>
    <message>
        <source>The metric the target readout and the BD table use</source>
        <translation>目标读数与 BD 表所用的指标</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>码率</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Draw a line at a bitrate or a quality and read every codec at it</source>
        <translation>在某一码率或质量处画线，并读出每个编解码器在该处的表现</translation>
    </message>
    <message>
        <source>BD against</source>
        <translation>BD 参考</translation>
    </message>
    <message>
        <source>The reference codec of the Bjøntegaard table</source>
        <translation>Bjøntegaard 表的参考编解码器</translation>
    </message>
</context>
<context>
    <name>lmc::studio::CodecPanel</name>
    <message>
        <source>Compression failed: %1</source>
        <translation>压缩失败：%1</translation>
    </message>
    <message>
        <source>%1 bytes · %2 bpp · mPSNR %3 dB</source>
        <translation>%1 字节 · %2 bpp · mPSNR %3 dB</translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation>正在编码…</translation>
    </message>
    <message>
        <source>RD sweep %1/%2</source>
        <translation>率失真扫描 %1/%2</translation>
    </message>
    <message>
        <source>RD curve: %1 points</source>
        <translation>率失真曲线：%1 个点</translation>
    </message>
    <message>
        <source>No RD curve yet</source>
        <translation>尚无率失真曲线</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Stop this codec&apos;s RD sweep</source>
        <translation>停止此编解码器的率失真扫描</translation>
    </message>
    <message>
        <source>Measure this codec over its rate range in the background</source>
        <translation>在后台测量此编解码器在其码率范围内的表现</translation>
    </message>
    <message>
        <source>Codecs</source>
        <translation>编解码器</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>The codec the split view, the quality panel and exports refer to</source>
        <translation>分屏视图、质量面板和导出所针对的编解码器</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Where learned codecs run</source>
        <translation>学习型编解码器的运行设备</translation>
    </message>
    <message>
        <source>Switch %1 on or off</source>
        <translation>启用或停用 %1</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation>CUDA GPU %1</translation>
    </message>
    <message>
        <source>%1 bytes · %2 bpp on disk · %3 bpp in VRAM · mPSNR %4 dB after transcoding</source>
        <translation>%1 字节 · 磁盘 %2 bpp · 显存 %3 bpp · 转码后 mPSNR %4 dB</translation>
    </message>
    <message>
        <source>Then on the GPU</source>
        <translation>再转为 GPU 格式</translation>
    </message>
    <message>
        <source>What a game hands the GPU after loading this codec&apos;s file: the decoded map transcoded to a GPU block format. The tile, metrics and RD curve then show that end of the chain; the bitrate stays the file&apos;s.</source>
        <translation>游戏加载此编解码器的文件后交给 GPU 的内容：解码后的光照贴图再转码为 GPU 块格式。此后图块、指标和率失真曲线显示链路末端的结果；码率仍为文件的码率。</translation>
    </message>
    <message>
        <source>None (decoded map)</source>
        <translation>无（解码后的贴图）</translation>
    </message>
    <message>
        <source>So far, still optimising: %1</source>
        <translation>目前结果，仍在优化：%1</translation>
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
        <source>DirectX BC6H block compression (8 bits per stored texel): a DDS file GPUs load directly, or a half- or quarter-resolution texture that the GPU&apos;s bilinear filter upsamples.</source>
        <translation>DirectX BC6H 块压缩（每个存储纹素 8 位）：GPU 可直接加载的 DDS 文件，或由 GPU 双线性过滤放大的半分辨率或四分之一分辨率纹理。</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Stored resolution: full (8 bits per texel, a DDS file), or half / quarter per axis (about 2 / 0.5 bits per texel, an .lmc file) upsampled bilinearly like a GPU does.</source>
        <translation>存储分辨率：完整（每纹素 8 位，DDS 文件），或每个方向减半 / 四分之一（约每纹素 2 / 0.5 位，.lmc 文件），像 GPU 一样以双线性方式放大。</translation>
    </message>
    <message>
        <source>Encoder effort: how many modes, partitions and endpoint refinements are searched (it does not change the bitrate).</source>
        <translation>编码器投入：搜索多少种模式、分区和端点细化（不影响码率）。</translation>
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
        <source>Quarter (1/4 per axis)</source>
        <translation>四分之一（每个方向 1/4）</translation>
    </message>
    <message>
        <source>Half (1/2 per axis)</source>
        <translation>一半（每个方向 1/2）</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>完整</translation>
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
    <message>
        <source>Learned autoencoder</source>
        <translation>学习型自编码器</translation>
    </message>
    <message>
        <source>Learned VAE (hyperprior)</source>
        <translation>学习型 VAE（超先验）</translation>
    </message>
    <message>
        <source>Overfitted neural (per map)</source>
        <translation>逐图优化神经编码</translation>
    </message>
    <message>
        <source>Per-map optimised neural codec (Cool-chic style latent grids, tiny synthesis MLP and context model, all in the stream); negative values are clamped to 0.</source>
        <translation>逐图优化的神经编解码器（Cool-chic 式潜变量网格、微型合成 MLP 与上下文模型，全部写入码流）；负值截断为 0。</translation>
    </message>
    <message>
        <source>Rate-distortion trade-off from 0 (smallest) to 1 (largest): lambda = 10^(-4 rate) in the training loss.</source>
        <translation>率失真权衡，0（最小）到 1（最大）：训练损失中 lambda = 10^(-4 rate)。</translation>
    </message>
    <message>
        <source>Iterations</source>
        <translation>迭代次数</translation>
    </message>
    <message>
        <source>Optimisation steps, each on a quarter of the map&apos;s texel rows: encode time grows linearly, quality with it.</source>
        <translation>优化步数（每步只用贴图四分之一的纹素行）：编码时间随之线性增长，质量随之提高。</translation>
    </message>
    <message>
        <source>Learned GAN</source>
        <translation>学习型 GAN</translation>
    </message>
    <message>
        <source>Convolutional autoencoder with a factorized entropy model, rANS-coded; variable rate via gains.</source>
        <translation>卷积自编码器，采用因子化熵模型与 rANS 编码；通过增益实现可变码率。</translation>
    </message>
    <message>
        <source>Scale-hyperprior VAE (Balle 2018) with deterministic integer entropy tables, rANS-coded.</source>
        <translation>尺度超先验 VAE（Ballé 2018），使用确定性的整数熵表与 rANS 编码。</translation>
    </message>
    <message>
        <source>The hyperprior codec with a decoder trained adversarially for sharper, artifact-free texels.</source>
        <translation>超先验编解码器，其解码器经对抗训练，纹素更清晰且无伪影。</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>码率</translation>
    </message>
    <message>
        <source>Bitrate control from 0 (smallest) to 1 (near-lossless): up to 0.2 it sets the networks&apos; own rate, above it a residual refinement layer adds quality.</source>
        <translation>码率控制：0（最小）到 1（接近无损）；0.2 以下调节网络自身的码率，0.2 以上由残差细化层提升质量。</translation>
    </message>
    <message>
        <source>Decoder precision</source>
        <translation>解码器精度</translation>
    </message>
    <message>
        <source>Arithmetic of the decoder&apos;s networks: fp32, or int8 (post-training quantised integer kernels, identical on every CPU, a little quality lost). Stored in the stream.</source>
        <translation>解码器网络的运算精度：fp32，或 int8（训练后量化的整数内核，在每种 CPU 上结果完全一致，质量略有损失）。记录在码流中。</translation>
    </message>
    <message>
        <source>none, or zstd (level 19) over the DDS file as a game package ships it (.dds.zst); the GPU still loads 8 bits per stored texel.</source>
        <translation>none，或对 DDS 文件做 zstd（级别 19）压缩，即游戏资源包中的形式（.dds.zst）；GPU 加载时仍为每个存储纹素 8 位。</translation>
    </message>
    <message>
        <source>Rate-distortion</source>
        <translation>率失真优化</translation>
    </message>
    <message>
        <source>0 (off) to 1: trade a bounded loss of quality for blocks that zstd and other package compressors code in fewer bits; the texture stays standard BC6H.</source>
        <translation>0（关闭）到 1：以有上限的质量损失换取 zstd 等资源包压缩器能用更少比特编码的块；纹理仍是标准 BC6H。</translation>
    </message>
    <message>
        <source>JPEG XL</source>
        <translation>JPEG XL</translation>
    </message>
    <message>
        <source>JPEG XL (libjxl), lossy XYB on linear float input with an intensity target taken from the map; negative values are clamped to 0.</source>
        <translation>JPEG XL（libjxl），对线性浮点输入做有损 XYB 编码，强度目标取自贴图本身；负值截为 0。</translation>
    </message>
    <message>
        <source>Butteraugli distance as cjxl -d: lower keeps more (1 = visually lossless on a display); negative texel values are clamped to 0.</source>
        <translation>Butteraugli 距离，与 cjxl -d 相同：数值越低保留越多（1 = 在显示器上视觉无损）；负的纹素值截为 0。</translation>
    </message>
    <message>
        <source>Encoder effort as cjxl -e: higher searches longer for fewer bits.</source>
        <translation>编码强度，与 cjxl -e 相同：数值越高搜索越久，比特越少。</translation>
    </message>
    <message>
        <source>AVIF</source>
        <translation>AVIF</translation>
    </message>
    <message>
        <source>AVIF (libavif + libaom), 12-bit 4:4:4 PQ of the map scaled so its peak is at 10000 nits; negative values are clamped to 0.</source>
        <translation>AVIF（libavif + libaom），12 位 4:4:4 PQ，贴图缩放到峰值为 10000 尼特；负值截为 0。</translation>
    </message>
    <message>
        <source>0..100 as avifenc 1.x -q: one AV1 quantizer ((100 - quality) * 63 + 50) / 100; negative texel values are clamped to 0 (PQ cannot carry them).</source>
        <translation>0..100，与 avifenc 1.x 的 -q 相同：单一 AV1 量化参数 ((100 - quality) * 63 + 50) / 100；负的纹素值截为 0（PQ 无法表示负值）。</translation>
    </message>
    <message>
        <source>Encoder speed as avifenc -s: 0 slowest and smallest, 10 fastest.</source>
        <translation>编码速度，与 avifenc -s 相同：0 最慢且最小，10 最快。</translation>
    </message>
    <message>
        <source>OpenEXR DWAB</source>
        <translation>OpenEXR DWAB</translation>
    </message>
    <message>
        <source>A standard half-float OpenEXR file with lossy DWAB compression (level = rate) or lossless PIZ; keeps negative values, clamps beyond 65504.</source>
        <translation>标准的半精度浮点 OpenEXR 文件，使用有损 DWAB 压缩（级别即码率）或无损 PIZ；保留负值，超过 65504 的值被截断。</translation>
    </message>
    <message>
        <source>DWAB: lossy DCT compression of the half values (DWA level sets the rate); PIZ: lossless wavelet compression of the half values (a reference point; the level is ignored).</source>
        <translation>DWAB：对半精度值做有损 DCT 压缩（DWA 级别决定码率）；PIZ：对半精度值做无损小波压缩（作为参考点；忽略级别）。</translation>
    </message>
    <message>
        <source>DWA compression level: higher quantises more coarsely and spends fewer bits (OpenEXR&apos;s default is 45).</source>
        <translation>DWA 压缩级别：数值越高量化越粗、比特越少（OpenEXR 默认为 45）。</translation>
    </message>
    <message>
        <source>JPEG 2000</source>
        <translation>JPEG 2000</translation>
    </message>
    <message>
        <source>JPEG 2000 (OpenJPEG, 9/7 wavelet) on 16-bit PQ-encoded planes scaled to the map&apos;s peak; negative values clamp to 0.</source>
        <translation>JPEG 2000（OpenJPEG，9/7 小波），对按贴图峰值缩放的 16 位 PQ 编码平面进行压缩；负值截为 0。</translation>
    </message>
    <message>
        <source>Target bits per texel of the whole stream (OpenJPEG&apos;s rate allocation; simple maps may come out smaller). Negative input values clamp to 0 (PQ has no negatives).</source>
        <translation>整个码流的目标每纹素比特数（OpenJPEG 的码率分配；简单的贴图可能更小）。负的输入值截为 0（PQ 没有负值）。</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Supercompression</source>
        <translation>超级压缩</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>压缩方式</translation>
    </message>
    <message>
        <source>DWA level</source>
        <translation>DWA 级别</translation>
    </message>
    <message>
        <source>Bits per texel</source>
        <translation>每纹素比特数</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>zstd (package compression)</source>
        <translation>zstd（资源包压缩）</translation>
    </message>
    <message>
        <source>DWAB (lossy)</source>
        <translation>DWAB（有损）</translation>
    </message>
    <message>
        <source>PIZ (lossless)</source>
        <translation>PIZ（无损）</translation>
    </message>
    <message>
        <source>FP32 (float)</source>
        <translation>FP32（浮点）</translation>
    </message>
    <message>
        <source>INT8 (quantised)</source>
        <translation>INT8（量化）</translation>
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
    <message>
        <source>Draw the rate-distortion curves of the `lmc eval` CSVs given as arguments (mean over the lightmaps) to a PNG, then exit.</source>
        <translation>将作为参数给出的 `lmc eval` CSV 文件的率失真曲线（各光照贴图的平均值）绘制为 PNG 图片，然后退出。</translation>
    </message>
    <message>
        <source>Quality metric of --rd-plot: mpsnr, pu21psnr or both (default both).</source>
        <translation>--rd-plot 的质量指标：mpsnr、pu21psnr 或 both（默认 both）。</translation>
    </message>
    <message>
        <source>OpenEXR lightmap to open (default: the sample); with --rd-plot, the eval CSVs (SERIES=CSV names that CSV&apos;s curves SERIES).</source>
        <translation>要打开的 OpenEXR 光照贴图（默认：示例文件）；使用 --rd-plot 时为评估 CSV 文件（SERIES=CSV 把该 CSV 的曲线命名为 SERIES）。</translation>
    </message>
    <message>
        <source>--rd-plot needs a file name.</source>
        <translation>--rd-plot 需要一个文件名。</translation>
    </message>
    <message>
        <source>--rd-plot and --screenshot cannot be combined.</source>
        <translation>--rd-plot 与 --screenshot 不能同时使用。</translation>
    </message>
    <message>
        <source>--rd-plot needs at least one CSV written by `lmc eval`.</source>
        <translation>--rd-plot 至少需要一个由 `lmc eval` 生成的 CSV 文件。</translation>
    </message>
    <message>
        <source>Unknown --rd-metric &apos;%1&apos; (use mpsnr, pu21psnr or both).</source>
        <translation>未知的 --rd-metric“%1”（请使用 mpsnr、pu21psnr 或 both）。</translation>
    </message>
    <message>
        <source>--rd-metric needs --rd-plot.</source>
        <translation>--rd-metric 需要与 --rd-plot 一起使用。</translation>
    </message>
</context>
<context>
    <name>lmc::studio::ComparisonView</name>
    <message>
        <source>Original</source>
        <translation>原图</translation>
    </message>
    <message>
        <source>%1 × %2 texels</source>
        <translation>%1 × %2 纹素</translation>
    </message>
    <message>
        <source>for reference</source>
        <translation>作为参考</translation>
    </message>
    <message>
        <source>%1 bpp</source>
        <translation>%1 bpp</translation>
    </message>
    <message>
        <source> · mPSNR %1 dB</source>
        <translation> · mPSNR %1 dB</translation>
    </message>
    <message>
        <source>Compression failed: %1</source>
        <translation>压缩失败：%1</translation>
    </message>
    <message>
        <source>Waiting for an image</source>
        <translation>等待图像</translation>
    </message>
    <message>
        <source>scale %1 … %2</source>
        <translation>刻度 %1 … %2</translation>
    </message>
    <message>
        <source>A: Original</source>
        <translation>A：原图</translation>
    </message>
    <message>
        <source>B: Original</source>
        <translation>B：原图</translation>
    </message>
    <message>
        <source>A: %1, %2 bpp</source>
        <translation>A：%1，%2 bpp</translation>
    </message>
    <message>
        <source>B: %1, %2 bpp</source>
        <translation>B：%1，%2 bpp</translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B：%1</translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation>绝对误差</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Log ratio</source>
        <translation>对数比</translation>
    </message>
    <message>
        <source>PU21 difference</source>
        <translation>PU21 差异</translation>
    </message>
    <message>
        <source>linear image units</source>
        <translation>线性图像单位</translation>
    </message>
    <message>
        <source>fraction of the original value</source>
        <translation>原值的比例</translation>
    </message>
    <message>
        <source>stops, 1 = a factor of 2</source>
        <translation>档，1 = 2 倍</translation>
    </message>
    <message>
        <source>PU21 units ≈ 8-bit code values</source>
        <translation>PU21 单位 ≈ 8 位码值</translation>
    </message>
    <message>
        <source>%1, all codecs</source>
        <translation>%1，所有编解码器</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分屏</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>热图</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>The original and every enabled codec side by side, zoom and pan synchronised (Ctrl+1)</source>
        <translation>原图与所有已启用的编解码器并排显示，缩放与平移同步（Ctrl+1）</translation>
    </message>
    <message>
        <source>Two images with a draggable divider (Ctrl+2)</source>
        <translation>两幅图像，中间有可拖动的分隔线（Ctrl+2）</translation>
    </message>
    <message>
        <source>Per-codec error maps with a colour legend (Ctrl+3)</source>
        <translation>各编解码器的误差图及色标（Ctrl+3）</translation>
    </message>
    <message>
        <source>Rate-distortion curves and encode/decode times (Ctrl+4)</source>
        <translation>率失真曲线与编码/解码时间（Ctrl+4）</translation>
    </message>
    <message>
        <source>Texel grid</source>
        <translation>纹素网格</translation>
    </message>
    <message>
        <source>Lines between texels from 800% zoom (G)</source>
        <translation>缩放达到 800% 时显示纹素间的分隔线（G）</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · Shift+drag: region</source>
        <translation>滚轮：缩放 · 拖动：平移 · Shift+拖动：选区</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Flip</source>
        <translation>交换</translation>
    </message>
    <message>
        <source>Swap which image is left of the divider (F or Space)</source>
        <translation>交换分隔线左右两侧的图像（F 键或空格键）</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <source>Absolute</source>
        <translation>绝对</translation>
    </message>
    <message>
        <source>Relative</source>
        <translation>相对</translation>
    </message>
    <message>
        <source>PU21 perceptual</source>
        <translation>PU21 感知</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Lock scale across codecs</source>
        <translation>所有编解码器使用同一刻度</translation>
    </message>
    <message>
        <source>One colour scale for every codec, so equal colours mean equal errors</source>
        <translation>所有编解码器共用一个色阶，相同颜色表示相同误差</translation>
    </message>
    <message>
        <source>Sweep All</source>
        <translation>全部扫描</translation>
    </message>
    <message>
        <source>Measure every enabled codec over its rate range in the background</source>
        <translation>在后台测量每个已启用的编解码器在其码率范围内的表现</translation>
    </message>
    <message>
        <source>Cancel Sweeps</source>
        <translation>取消扫描</translation>
    </message>
    <message>
        <source>Open a lightmap with File ▸ Open…, or drop an .exr file here.</source>
        <translation>通过“文件 ▸ 打开…”打开光照贴图，或将 .exr 文件拖放到此处。</translation>
    </message>
    <message>
        <source>%1 · preview: %2</source>
        <translation>%1 · 预览：%2</translation>
    </message>
    <message>
        <source>False colour: luminance</source>
        <translation>伪彩色：亮度</translation>
    </message>
    <message>
        <source>linear image units (Rec. 709 luminance)</source>
        <translation>线性图像单位（Rec. 709 亮度）</translation>
    </message>
    <message>
        <source>Signed error (over/under)</source>
        <translation>有符号误差（偏亮/偏暗）</translation>
    </message>
    <message>
        <source>stops: + brighter than the original (red), − darker (blue)</source>
        <translation>档：+ 比原图亮（红色），− 比原图暗（蓝色）</translation>
    </message>
    <message>
        <source>Codec blocks</source>
        <translation>编解码器块</translation>
    </message>
    <message>
        <source>Each codec&apos;s block grid from 200% zoom (B): BC6H 4×4 (8×8 or 16×16 at half or quarter resolution), ASTC its block size, JPEG-HDR 8×8 or 16×16 with 4:2:0 chroma, OpenEXR DWAB 8×8</source>
        <translation>从 200% 缩放起显示各编解码器的块网格（B）：BC6H 4×4（半分辨率或四分之一分辨率时为 8×8 或 16×16），ASTC 为其块尺寸，JPEG-HDR 为 8×8，4:2:0 色度时为 16×16，OpenEXR DWAB 为 8×8</translation>
    </message>
    <message>
        <source>Flicker A/B</source>
        <translation>A/B 闪烁对比</translation>
    </message>
    <message>
        <source>Show one whole image at a time instead of the divider; F, Space or Flip toggles A and B</source>
        <translation>不用分隔线，每次显示一整幅图像；F 键、空格键或“交换”在 A 与 B 之间切换</translation>
    </message>
    <message>
        <source>Auto (2 Hz)</source>
        <translation>自动（2 Hz）</translation>
    </message>
    <message>
        <source>Switch between A and B by itself every quarter second (two A/B cycles a second)</source>
        <translation>每四分之一秒自动在 A 与 B 之间切换（每秒两个 A/B 周期）</translation>
    </message>
    <message>
        <source>Signed (over/under)</source>
        <translation>有符号（偏亮/偏暗）</translation>
    </message>
    <message>
        <source>Absolute: |a − b|; relative: |a − b| / a; log ratio: stops between a and b; signed: stops from a to b, red where the codec is brighter, blue where darker; PU21: perceptual difference of luminance</source>
        <translation>绝对：|a − b|；相对：|a − b| / a；对数比：a 与 b 相差的档数；有符号：从 a 到 b 的档数，编解码器偏亮处为红色，偏暗处为蓝色；PU21：亮度的感知差异</translation>
    </message>
    <message>
        <source>Hollow squares: current settings · click a point to apply its setting</source>
        <translation>空心方块：当前设置 · 点击数据点以应用其设置</translation>
    </message>
    <message>
        <source>%1 · so far</source>
        <translation>%1 · 目前结果</translation>
    </message>
</context>
<context>
    <name>lmc::studio::DisplayPanel</name>
    <message>
        <source>Compression failed: %1</source>
        <translation>压缩失败：%1</translation>
    </message>
    <message>
        <source>Quality: %1</source>
        <translation>质量：%1</translation>
    </message>
    <message>
        <source>Reconstruction quality</source>
        <translation>重建质量</translation>
    </message>
    <message>
        <source>sRGB</source>
        <translation>sRGB 曲线</translation>
    </message>
    <message>
        <source>ACES filmic</source>
        <translation>ACES 电影曲线</translation>
    </message>
    <message>
        <source>Clamp (linear)</source>
        <translation>截断（线性）</translation>
    </message>
    <message>
        <source>How linear values become display values: sRGB clips at white, ACES rolls highlights off, clamp shows linear values without a curve</source>
        <translation>线性值如何转换为显示值：sRGB 在白点处截断，ACES 平滑压缩高光，截断则不经曲线直接显示线性值</translation>
    </message>
    <message>
        <source>Tone curve</source>
        <translation>色调曲线</translation>
    </message>
    <message>
        <source>False colour (±6 EV)</source>
        <translation>伪彩色（±6 EV）</translation>
    </message>
    <message>
        <source>Luminance in stops around middle grey: blue dark, green mid, red bright</source>
        <translation>以中灰为中心按档显示亮度：蓝色为暗，绿色为中，红色为亮</translation>
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
        <source>Te&amp;xels</source>
        <translation>纹素(&amp;X)</translation>
    </message>
    <message>
        <source>Visible (charts + filter ring)</source>
        <translation>可见（图块 + 过滤环）</translation>
    </message>
    <message>
        <source>Covered (charts only)</source>
        <translation>覆盖（仅图块）</translation>
    </message>
    <message>
        <source>All texels</source>
        <translation>全部纹素</translation>
    </message>
    <message>
        <source>Which texels the metrics, error maps and charts count. Visible: the UV charts and the one-texel ring around them that bilinear filtering shows in game. Covered: the charts only. All: every texel, gutters included.</source>
        <translation>指标、误差图和图表计入哪些纹素。可见：UV 图块及其周围一圈纹素（游戏中双线性过滤会显示它们）。覆盖：仅图块。全部：所有纹素，包括间隙。</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>通道(&amp;H)</translation>
    </message>
    <message>
        <source>Colour (RGB)</source>
        <translation>彩色（RGB）</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
    <message>
        <source>Luminance</source>
        <translation>亮度</translation>
    </message>
    <message>
        <source>Show the colour picture, or one channel (or the luminance) as grey through the same exposure and curve</source>
        <translation>显示彩色图像，或以相同的曝光和曲线将单个通道（或亮度）显示为灰度</translation>
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
    <name>lmc::studio::HistogramPanel</name>
    <message>
        <source>Luminance of the original</source>
        <translation>原图亮度</translation>
    </message>
    <message>
        <source>linear image units, log axis</source>
        <translation>线性图像单位，对数坐标</translation>
    </message>
    <message>
        <source>Absolute error</source>
        <translation>绝对误差</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Log ratio</source>
        <translation>对数比</translation>
    </message>
    <message>
        <source>PU21 difference</source>
        <translation>PU21 差异</translation>
    </message>
    <message>
        <source>Signed error</source>
        <translation>有符号误差</translation>
    </message>
    <message>
        <source>linear image units</source>
        <translation>线性图像单位</translation>
    </message>
    <message>
        <source>fraction of the original value</source>
        <translation>原值的比例</translation>
    </message>
    <message>
        <source>stops</source>
        <translation>档</translation>
    </message>
    <message>
        <source>PU21 units</source>
        <translation>PU21 单位</translation>
    </message>
    <message>
        <source>stops, − darker, + brighter</source>
        <translation>档，− 偏暗，+ 偏亮</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>Histograms</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Uncheck to stop computing histograms</source>
        <translation>取消勾选即停止计算直方图</translation>
    </message>
</context>
<context>
    <name>lmc::studio::InspectorPanel</name>
    <message>
        <source>Shift+drag in the grid or heatmap to measure a region.</source>
        <translation>在网格或热图中按住 Shift 拖动以测量区域。</translation>
    </message>
    <message>
        <source>%1 × %2 texels at %3, %4</source>
        <translation>%1 × %2 纹素，位于 %3, %4</translation>
    </message>
    <message>
        <source>Hover over an image to inspect a texel.</source>
        <translation>将鼠标悬停在图像上以检查纹素。</translation>
    </message>
    <message>
        <source>abs</source>
        <translation>绝对</translation>
    </message>
    <message>
        <source>rel</source>
        <translation>相对</translation>
    </message>
    <message>
        <source>stops</source>
        <translation>档</translation>
    </message>
    <message>
        <source>PU21</source>
        <translation>PU21</translation>
    </message>
    <message>
        <source>Texel %1, %2</source>
        <translation>纹素 %1, %2</translation>
    </message>
    <message>
        <source>(not covered)</source>
        <translation>（未覆盖）</translation>
    </message>
    <message>
        <source>Error (%1)</source>
        <translation>误差（%1）</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>原图</translation>
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
        <source>Pixel inspector</source>
        <translation>像素检查器</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>编解码器</translation>
    </message>
    <message>
        <source>mPSNR</source>
        <translation>mPSNR</translation>
    </message>
    <message>
        <source>PU21-SSIM</source>
        <translation>PU21-SSIM</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>最大误差</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <source>%n negative value(s) in covered texels, lowest %1</source>
        <translation>
            <numerusform>覆盖纹素中有 %n 个负值，最低 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Signed mode chosen for: %1</source>
        <translation>已为以下编解码器选择有符号模式：%1</translation>
    </message>
    <message>
        <source>Clamp them to 0: %1</source>
        <translation>将负值截断为 0：%1</translation>
    </message>
    <message>
        <source>± stops</source>
        <translation>± 档</translation>
    </message>
</context>
<context>
    <name>lmc::studio::MainWindow</name>
    <message>
        <source>changing the codec</source>
        <translation>切换编解码器</translation>
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
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The translation for %1 could not be loaded.</source>
        <translation>无法加载 %1 的翻译。</translation>
    </message>
    <message>
        <source>Compression failed</source>
        <translation>压缩失败</translation>
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
        <source>RD sweep of %1 failed: %2</source>
        <translation>%1 的率失真扫描失败：%2</translation>
    </message>
    <message>
        <source>switching a codec</source>
        <translation>切换编解码器</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分屏</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>热图</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Learned codecs: %1</source>
        <translation>学习型编解码器：%1</translation>
    </message>
    <message>
        <source>Device that runs the learned codecs</source>
        <translation>运行学习型编解码器的设备</translation>
    </message>
    <message>
        <source>%1: compression failed: %2</source>
        <translation>%1：压缩失败：%2</translation>
    </message>
    <message>
        <source>%1 updated %2 ms after the change</source>
        <translation>%1 在修改后 %2 毫秒更新</translation>
    </message>
    <message>
        <source>changing the measured texels</source>
        <translation>更改参与测量的纹素</translation>
    </message>
    <message>
        <source>&amp;Dim Uncounted Texels</source>
        <translation>调暗不计入的纹素(&amp;D)</translation>
    </message>
    <message>
        <source>Darken the texels the metrics do not count (gutters beyond the filter ring; see Texels)</source>
        <translation>调暗指标不计入的纹素（过滤环之外的间隙；见“纹素”）</translation>
    </message>
    <message>
        <source>This map has negative values: %1 switched to a signed mode that keeps them</source>
        <translation>此贴图含负值：%1 已切换到保留负值的有符号模式</translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Fast &amp;Preview</source>
        <translation>快速预览(&amp;P)</translation>
    </message>
    <message>
        <source>The live view encodes BC6H and ASTC at a faster encoder level so sliders follow quickly (the tile says so); RD sweeps, presets and exports always use the level you chose</source>
        <translation>实时视图以更快的编码级别编码 BC6H 和 ASTC，使滑块响应迅速（图块上会注明）；率失真扫描、预设和导出始终使用您选择的级别</translation>
    </message>
    <message>
        <source>opening the multi-map evaluation</source>
        <translation>打开多贴图评估</translation>
    </message>
    <message>
        <source>&amp;Evaluate Several Maps…</source>
        <translation>评估多张贴图(&amp;E)…</translation>
    </message>
    <message>
        <source>Sweep the codecs over a folder or a set of lightmaps: mean and per-map curves, BD-rate per map and overall</source>
        <translation>在一个文件夹或一组光照贴图上扫描各编解码器：平均曲线与逐贴图曲线、逐贴图与总体的 BD 码率</translation>
    </message>
</context>
<context>
    <name>lmc::studio::MultiMapWindow</name>
    <message>
        <source>Add Lightmaps</source>
        <translation>添加光照贴图</translation>
    </message>
    <message>
        <source>OpenEXR files (*.exr)</source>
        <translation>OpenEXR 文件 (*.exr)</translation>
    </message>
    <message>
        <source>Add a Folder of Lightmaps</source>
        <translation>添加光照贴图文件夹</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1，%2：%3</translation>
    </message>
    <message>
        <source>Cancelled at %p%</source>
        <translation>已在 %p% 处取消</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Add at least one map and tick at least one codec.</source>
        <translation>请至少添加一张贴图并勾选至少一个编解码器。</translation>
    </message>
    <message>
        <source>%v of %m points</source>
        <translation>%v / %m 个点</translation>
    </message>
    <message>
        <source>Mean over all maps</source>
        <translation>所有贴图的平均</translation>
    </message>
    <message>
        <source>Mean curve</source>
        <translation>平均曲线</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>BD-rate of each codec against %1 in %2 (Pareto fronts, PCHIP): the bits it needs for the same quality, negative = fewer. Mean curve: settings averaged over the maps both codecs have.</source>
        <translation>各编解码器相对 %1 的 BD 码率（%2，帕累托前沿，PCHIP）：达到相同质量所需的比特数，负值 = 更少。平均曲线：在两个编解码器都有结果的贴图上对各设置取平均。</translation>
    </message>
    <message>
        <source>Export Evaluation CSV</source>
        <translation>导出评估 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Evaluate Several Maps</source>
        <translation>评估多张贴图</translation>
    </message>
    <message>
        <source>Maps</source>
        <translation>贴图</translation>
    </message>
    <message>
        <source>Codecs (current settings, production effort)</source>
        <translation>编解码器（当前设置，生产级编码强度）</translation>
    </message>
    <message>
        <source>Add Files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Points per codec</source>
        <translation>每个编解码器的点数</translation>
    </message>
    <message>
        <source>Curves of</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>BD metric</source>
        <translation>BD 指标</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参照</translation>
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
        <source>The reference codec was not run on these maps.</source>
        <translation>参照编解码器未在这些贴图上运行。</translation>
    </message>
</context>
<context>
    <name>lmc::studio::ParamEditor</name>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>parameter label, then its value</comment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>lmc::studio::PresetActions</name>
    <message>
        <source>Save &amp;Preset…</source>
        <translation>保存预设(&amp;P)…</translation>
    </message>
    <message>
        <source>Save the current codec and parameters as a preset file (JSON)</source>
        <translation>将当前编解码器及其参数保存为预设文件（JSON）</translation>
    </message>
    <message>
        <source>&amp;Load Preset…</source>
        <translation>加载预设(&amp;L)…</translation>
    </message>
    <message>
        <source>Load a preset file and apply its codec and parameters</source>
        <translation>加载预设文件并应用其中的编解码器和参数</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the compressed file, the reconstruction (EXR), the heatmap and chart (PNG) and the metrics (CSV) to a folder</source>
        <translation>将压缩文件、重建图像（EXR）、热力图与图表（PNG）以及指标（CSV）写入一个文件夹</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message numerus="yes">
        <source>%n recent file(s) no longer exist and were removed from the list: %1</source>
        <translation>
            <numerusform>%n 个最近文件已不存在，已从列表中移除：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Save Preset</source>
        <translation>保存预设</translation>
    </message>
    <message>
        <source>Lightmap codec presets (*.json);;All files (*)</source>
        <translation>光照贴图编解码预设 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot save preset</source>
        <translation>无法保存预设</translation>
    </message>
    <message>
        <source>Could not save the preset %1.</source>
        <translation>无法保存预设 %1。</translation>
    </message>
    <message>
        <source>Preset saved to %1</source>
        <translation>预设已保存到 %1</translation>
    </message>
    <message>
        <source>Load Preset</source>
        <translation>加载预设</translation>
    </message>
    <message>
        <source>Cannot load preset</source>
        <translation>无法加载预设</translation>
    </message>
    <message>
        <source>Could not load the preset %1.</source>
        <translation>无法加载预设 %1。</translation>
    </message>
    <message>
        <source>Preset loaded</source>
        <translation>预设已加载</translation>
    </message>
    <message>
        <source>The preset %1 was loaded. Please note:</source>
        <translation>预设 %1 已加载。请注意：</translation>
    </message>
    <message>
        <source>Preset %1 applied</source>
        <translation>已应用预设 %1</translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>导出失败。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Open a lightmap first.</source>
        <translation>请先打开一张光照贴图。</translation>
    </message>
    <message>
        <source>Export to Folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) already exist in %1. Replace them?</source>
        <translation>
            <numerusform>%1 中已有 %n 个文件。要替换它们吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s) to %1</source>
        <translation>
            <numerusform>已将 %n 个文件导出到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>mPSNR ≥ %1 dB</source>
        <translation>mPSNR ≥ %1 dB</translation>
    </message>
    <message>
        <source>PU21-PSNR ≥ %1 dB</source>
        <translation>PU21-PSNR ≥ %1 dB</translation>
    </message>
    <message>
        <source>log-PSNR ≥ %1 dB</source>
        <translation>log-PSNR ≥ %1 dB</translation>
    </message>
    <message>
        <source>≤ %1 bpp</source>
        <translation>≤ %1 bpp</translation>
    </message>
    <message>
        <source>another map</source>
        <translation>另一张贴图</translation>
    </message>
    <message>
        <source>On this map the preset gives %1 dB mPSNR at %2 bpp; saved on %3: %4 dB at %5 bpp.</source>
        <translation>该预设在当前贴图上为 %1 dB mPSNR，%2 bpp；保存时在 %3 上为 %4 dB，%5 bpp。</translation>
    </message>
    <message>
        <source>On this map the preset gives %1 dB mPSNR at %2 bpp (it holds no saved measurement to compare).</source>
        <translation>该预设在当前贴图上为 %1 dB mPSNR，%2 bpp（预设中没有可供比较的保存测量值）。</translation>
    </message>
    <message>
        <source>Open a lightmap to solve the preset&apos;s target %1 for it.</source>
        <translation>请打开一张光照贴图，以便为其求解预设的目标 %1。</translation>
    </message>
    <message>
        <source>Solving the preset&apos;s target %1 for %2…</source>
        <translation>正在为 %2 求解预设的目标 %1…</translation>
    </message>
    <message>
        <source>Could not solve the preset&apos;s target %1.</source>
        <translation>无法求解预设的目标 %1。</translation>
    </message>
    <message>
        <source>%1 dB PU21-PSNR</source>
        <translation>%1 dB PU21-PSNR</translation>
    </message>
    <message>
        <source>%1 dB log-PSNR</source>
        <translation>%1 dB log-PSNR</translation>
    </message>
    <message>
        <source>%1 dB mPSNR</source>
        <translation>%1 dB mPSNR</translation>
    </message>
    <message numerus="yes">
        <source>Preset target %1 solved for %2: %3 gives %4 at %5 bpp (%n encode(s)).</source>
        <translation>
            <numerusform>已为 %2 求解预设目标 %1：%3 的结果为 %4，%5 bpp（%n 次编码）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Preset target %1 cannot be reached on %2: the best setting, %3, gives %4 at %5 bpp and was applied.</source>
        <translation>在 %2 上无法达到预设目标 %1：已应用最佳设置 %3，其结果为 %4，%5 bpp。</translation>
    </message>
    <message>
        <source>e.g. “PC high” or “mobile”</source>
        <translation>例如“PC 高”或“移动端”</translation>
    </message>
    <message>
        <source>Target (what this setting is for):</source>
        <translation>用途（此设置用于何处）：</translation>
    </message>
    <message>
        <source>None: keep the current setting</source>
        <translation>无：保留当前设置</translation>
    </message>
    <message>
        <source>mPSNR at least (dB)</source>
        <translation>mPSNR 至少 (dB)</translation>
    </message>
    <message>
        <source>PU21-PSNR at least (dB)</source>
        <translation>PU21-PSNR 至少 (dB)</translation>
    </message>
    <message>
        <source>log-PSNR at least (dB)</source>
        <translation>log-PSNR 至少 (dB)</translation>
    </message>
    <message>
        <source>Bits per texel at most</source>
        <translation>每纹素比特数至多</translation>
    </message>
    <message>
        <source>Quality target:</source>
        <translation>质量目标：</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>数值：</translation>
    </message>
    <message>
        <source>With a quality target, the preset searches the codec&apos;s rate parameter for each map it is applied to (lmc apply, or loading it here).</source>
        <translation>设定质量目标后，预设会针对所应用的每张贴图搜索编解码器的码率参数（lmc apply，或在此处加载时）。</translation>
    </message>
    <message>
        <source>This codec has no rate parameter, so it cannot take a quality target.</source>
        <translation>此编解码器没有码率参数，因此无法设定质量目标。</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
</context>
<context>
    <name>lmc::studio::RdPlotWidget</name>
    <message>
        <source>%1 (%2)</source>
        <comment>a codec and its variant</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Rate–distortion curves, mean over %1 lightmap(s)</source>
        <translation>率失真曲线（%1 张光照贴图的平均值）</translation>
    </message>
    <message>
        <source>Rate–distortion curves</source>
        <translation>率失真曲线</translation>
    </message>
    <message>
        <source>Could not read the evaluation CSVs: %1</source>
        <translation>无法读取评估 CSV 文件：%1</translation>
    </message>
    <message>
        <source>The CSVs hold no measurements.</source>
        <translation>CSV 文件中没有测量数据。</translation>
    </message>
    <message>
        <source>No lightmap was measured with every codec (%1); the mean curves would not be comparable.</source>
        <translation>没有任何光照贴图用所有编解码器（%1）测量过；平均曲线将无法比较。</translation>
    </message>
    <message>
        <source>%1 of %2 lightmaps are left out: not every codec was measured on them.</source>
        <translation>%2 张光照贴图中有 %1 张被排除：并非所有编解码器都在其上测量过。</translation>
    </message>
    <message>
        <source>%1: settings missing on some lightmap are left out: %2</source>
        <translation>%1：在某些光照贴图上缺失的设置已被排除：%2</translation>
    </message>
    <message>
        <source>%1, %2: settings with an infinite or missing score are left out: %3</source>
        <translation>%1，%2：得分为无穷大或缺失的设置已被排除：%3</translation>
    </message>
    <message>
        <source>Nothing to plot: no codec setting has a finite score on every lightmap.</source>
        <translation>没有可绘制的内容：没有任何编解码器设置在所有光照贴图上都有有限的得分。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>rendering failed</source>
        <translation>渲染失败</translation>
    </message>
</context>
<context>
    <name>lmc::studio::WorkspaceModel</name>
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
        <source>adding a sweep point</source>
        <translation>添加扫描点</translation>
    </message>
    <message>
        <source>loading a file</source>
        <translation>加载文件</translation>
    </message>
    <message>
        <source>switching a codec</source>
        <translation>切换编解码器</translation>
    </message>
    <message>
        <source>changing a parameter</source>
        <translation>修改参数</translation>
    </message>
    <message>
        <source>starting a sweep</source>
        <translation>开始扫描</translation>
    </message>
    <message>
        <source>applying a chart point</source>
        <translation>应用图表数据点</translation>
    </message>
    <message>
        <source>choosing a GPU format</source>
        <translation>选择 GPU 格式</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <comment>a codec followed by a GPU format</comment>
        <translation>%1 → %2</translation>
    </message>
</context>
</TS>
