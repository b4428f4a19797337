# Scenario needs of the demo set. Each need is published by several owners at their own site:
# (chain, field, title_zh, title_en, description_zh, description_en, trl, budget_min, budget_max (万元), sites)
# where a site is (org_key, site_zh, site_en, region). "{s}" in the text is the site.
TS=("tangshan-port","曹妃甸港区","Caofeidian port area","hebei.tangshan.caofeidian")
HH=("huanghua-port","黄骅港煤炭码头","Huanghua coal terminal","hebei.cangzhou.huanghua")
QHD=("qhd-port","秦皇岛港东港区","Qinhuangdao east port area","hebei.qinhuangdao")
KY=("kaiyuan-mining","开元矿业范各庄矿","Kaiyuan Fangezhuang mine","hebei.tangshan")
JZ=("jizhong-mine","冀中矿业东庞矿","Jizhong Dongpang mine","hebei.xingtai")
JD=("jidong-steel","冀东钢铁炼钢厂","Jidong steel plant","hebei.tangshan")
HD=("handan-steel","邯郸精钢热轧厂","Handan hot-rolling mill","hebei.handan")
GRID=("hebei-grid","石家庄 500kV 变电站","Shijiazhuang 500 kV substation","hebei.shijiazhuang")
LF=("langfang-police","廊坊市","Langfang","hebei.langfang")
XA=("xiongan-bureau","雄安新区容东片区","Rongdong district of Xiong'an","hebei.xiongan")
XAC=("xiongan-city","雄安新区启动区","Xiong'an start-up area","hebei.xiongan")
DZ=("dingzhou-city","定州市","Dingzhou","hebei.dingzhou")
ZD=("zhengding-tour","正定古城","Zhengding ancient city","hebei.shijiazhuang.zhengding")
BD=("baoding-htz","保定高新区","Baoding high-tech zone","hebei.baoding")
ZX=("zhixing-auto","保定整车工厂","Baoding vehicle plant","hebei.baoding")
BAT=("hb-battery","廊坊电池工厂","Langfang battery plant","hebei.langfang")
CZ=("cangzhou-chem","沧州临港园区","Cangzhou Lingang park","hebei.cangzhou")
SY=("tangshan-soda","唐山南堡碱厂","Tangshan Nanpu soda plant","hebei.tangshan")
XJ=("xinji-leather","辛集皮革园区","Xinji leather park","hebei.xinji")
HS=("hengshui-water","衡水市区水厂","Hengshui city waterworks","hebei.hengshui")
AP=("anping-mesh","安平丝网园区","Anping wire-mesh park","hebei.hengshui.anping")
ZJK=("zjk-drc","张北县","Zhangbei County","hebei.zhangjiakou")
PH=("sjz-pharma","石家庄制药基地","Shijiazhuang pharmaceutical base","hebei.shijiazhuang")
CD=("chengde-agri","承德围场基地","Chengde Weichang farm","hebei.chengde")
STD=("hebei-std","河北省","Hebei Province","hebei.shijiazhuang")

NEEDS = [
 ("robotics","港口自动化 / Port automation","{s}皮带机巡检机器人","Conveyor-belt inspection robots for the {s}",
  "{s}皮带机廊道总长超过 20 公里，目前依靠人工巡检，夜间与粉尘环境下漏检率高。需要可在轨道或地面运行的巡检机器人，实现托辊异响、温度异常、跑偏与撒料的自动识别与报警，并与现有集控系统对接。","The belt galleries of the {s} exceed 20 km and are inspected by hand; at night and in dust, faults are missed. We need rail-mounted or ground inspection robots that detect idler noise, overheating, belt deviation and spillage automatically, raise alarms and connect to the existing central control system.",7,200,600,[TS,HH,QHD]),
 ("robotics","港口自动化 / Port automation","{s}集装箱吊具自动拆装锁销","Automatic twist-lock handling at the {s}",
  "集装箱锁销拆装仍由人工在岸桥下完成，存在安全风险且效率受限。希望引入基于视觉定位的锁销自动拆装机器人，单箱作业时间不超过 40 秒，适应多种锁销型号。","Twist locks are still removed by workers under the quay cranes, which is risky and slow. We want vision-guided robots that remove and fit twist locks in at most 40 s per box and handle many lock types.",6,300,800,[TS,QHD,HH]),
 ("robotics","港口自动化 / Port automation","{s}无人驾驶集卡水平运输","Driverless container trucks for horizontal transport at the {s}",
  "码头前沿到堆场的水平运输需要无人驾驶集卡，要求在混行环境下安全运行，与岸桥、场桥协同调度，支持 5G 或 C-V2X 通信。","We need driverless container trucks between quay and yard that run safely in mixed traffic, coordinate with quay and yard cranes, and use 5G or C-V2X.",7,1000,3000,[TS,QHD,HH]),
 ("robotics","港口安全 / Port safety","{s}堆场火灾早期预警与消防机器人","Early fire warning and firefighting robots for the {s} stockyard",
  "煤炭与矿石堆场存在自燃风险，需要红外热成像与气体监测相结合的早期预警，以及能在高温、浓烟中作业的消防机器人。","Coal and ore stockpiles can self-ignite. We need early warning that combines infrared thermal imaging with gas monitoring, and firefighting robots that work in heat and smoke.",6,150,500,[HH,TS,QHD]),
 ("robotics","矿山智能化 / Intelligent mining","{s}井下巷道巡检机器人","Underground roadway inspection robot for the {s}",
  "井下主运输巷道与变电所需要防爆巡检机器人，能检测瓦斯、一氧化碳浓度和设备温度，识别皮带异物，并具备 4 小时以上续航。","Main haulage roadways and substations underground need explosion-proof inspection robots that measure methane, CO and equipment temperature, spot foreign objects on belts and run for at least 4 hours.",7,300,900,[KY,JZ]),
 ("robotics","矿山智能化 / Intelligent mining","{s}采煤工作面智能化改造","Intelligent retrofit of the coal face at the {s}",
  "希望实现综采工作面的远程可视化操控与液压支架自动跟机，减少工作面作业人员 50% 以上。","We want remote, visualised operation of the longwall face and automatic shield advance, cutting the number of workers at the face by more than half.",8,2000,5000,[KY,JZ]),
 ("robotics","警用机器人 / Police robots","{s}公共场所巡逻与应急处置机器人","Patrol and emergency-response robots for public places in {s}",
  "在火车站、商圈等人员密集场所部署巡逻机器人，支持人脸比对（依法合规）、异常行为识别、一键报警与远程喊话，可在雨雪天气下户外运行。","Patrol robots for stations and shopping areas that support lawful face matching, abnormal-behaviour detection, one-touch alarms and remote voice, and run outdoors in rain and snow.",6,200,500,[LF,("langfang-police","廊坊市广阳区","Guangyang district of Langfang","hebei.langfang")]),
 ("robotics","警用机器人 / Police robots","{s}排爆机器人与危险品处置","Bomb-disposal robots for {s}",
  "需要具备六自由度机械臂、可攀爬楼梯的排爆机器人，负载不低于 20 公斤，配套 X 光检查与远程操控终端。","We need bomb-disposal robots with a six-axis arm that can climb stairs, carry at least 20 kg and come with X-ray inspection and a remote console.",8,150,400,[LF]),
 ("robotics","电力巡检 / Power inspection","{s}智能巡检与带电作业机器人","Inspection and live-working robots for the {s}",
  "变电站设备巡检点位多，需要轮式或挂轨巡检机器人完成表计读数、红外测温与局部放电检测，并探索配网带电作业机器人应用。","A substation has many inspection points. We need wheeled or rail robots for meter reading, infrared temperature and partial-discharge detection, and want to try live-working robots on the distribution network.",7,200,700,[GRID,("hebei-grid","保定 220kV 变电站","Baoding 220 kV substation","hebei.baoding")]),
 ("steel","智能炼钢 / Intelligent steelmaking","{s}转炉炼钢终点智能预报","Intelligent end-point prediction for converters at the {s}",
  "希望基于炉气分析、声纳化渣与历史数据建立转炉终点碳温预报模型，命中率达到 90% 以上，减少补吹次数。","We want a model that predicts converter end-point carbon and temperature from off-gas analysis, sonic slag monitoring and history, with a hit rate above 90% and fewer re-blows.",6,300,800,[JD,HD]),
 ("steel","绿色冶金 / Green metallurgy","{s}烧结烟气超低排放与余热利用","Ultra-low emission and waste-heat recovery for sintering flue gas at the {s}",
  "烧结机烟气需要满足超低排放要求，同时希望回收中低温余热，寻求脱硫脱硝一体化与余热发电的成熟技术。","Sinter flue gas must meet ultra-low emission limits; we also want to recover low- and medium-temperature heat and seek mature combined desulphurisation, denitrification and heat-to-power technology.",8,2000,6000,[JD,HD]),
 ("steel","质量检测 / Quality inspection","{s}带钢表面缺陷在线检测","Online surface-defect detection for strip at the {s}",
  "热轧带钢表面缺陷依赖人工抽检，需在线视觉检测系统，在 20 米/秒速度下识别划伤、结疤、氧化铁皮等 20 类缺陷。","Hot strip surface defects are checked by sampling. We need an online vision system that recognises 20 defect types such as scratches, scabs and scale at 20 m/s.",7,300,900,[HD,JD]),
 ("steel","氢冶金 / Hydrogen metallurgy","{s}富氢竖炉直接还原中试","Pilot of hydrogen-rich shaft-furnace direct reduction at the {s}",
  "探索氢冶金替代部分高炉工艺，寻求富氢气体直接还原铁的中试技术与工艺包，关注能耗与碳排放核算。","We want to replace part of the blast-furnace route with hydrogen metallurgy and seek pilot technology and a process package for direct reduction with hydrogen-rich gas, with energy and carbon accounting.",5,3000,10000,[JD,HD]),
 ("nev_icv","车路协同 / Vehicle-road cooperation","{s}城市道路车路协同示范","Vehicle-road cooperation demonstration on the roads of {s}",
  "在主干道建设路侧感知与通信设施，实现信号灯信息推送、盲区预警和公交优先，需要可复制的建设方案与运营模式。","We will equip arterial roads with roadside sensing and communication to push signal timing, warn of blind spots and prioritise buses, and need a replicable design and operating model.",7,1000,3000,[XA,BD,("xiongan-city","雄安新区雄东片区","Xiongdong district of Xiong'an","hebei.xiongan")]),
 ("nev_icv","自动驾驶 / Automated driving","{s}自动驾驶接驳巴士","Automated shuttle buses for {s}",
  "为园区与片区提供低速自动驾驶接驳服务，要求 L4 级能力、全天候运行与远程安全员监管。","Low-speed automated shuttles for parks and districts, with L4 capability, all-weather operation and remote safety supervision.",7,500,1500,[XAC,BD]),
 ("nev_icv","动力电池 / Traction batteries","{s}动力电池健康状态评估与梯次利用","State-of-health assessment and second-life use of batteries at the {s}",
  "需要快速评估退役动力电池健康状态的检测技术（单包不超过 30 分钟），以及储能场景的梯次利用方案。","We need fast state-of-health testing for retired traction batteries (at most 30 minutes a pack) and a second-life plan for energy storage.",6,200,600,[BAT,ZX]),
 ("nev_icv","整车制造 / Vehicle manufacturing","{s}焊装车间视觉引导机器人","Vision-guided robots for the body shop at the {s}",
  "白车身焊装需要 3D 视觉引导的机器人定位与焊点质量在线检测，兼容多车型共线生产。","Body-in-white welding needs 3D vision-guided robot positioning and online weld inspection for several models on one line.",7,300,1000,[ZX]),
 ("nev_icv","智能座舱 / Smart cockpit","{s}车载多模态交互系统","Multimodal in-car interaction for the {s}",
  "希望引入支持方言语音、手势与视线的车载交互系统，离线可用，响应时间小于 500 毫秒。","We want in-car interaction with dialect speech, gestures and gaze, working offline with responses under 500 ms.",6,200,500,[ZX]),
 ("green_chemicals","安全生产 / Process safety","{s}危化品储罐区泄漏智能监测","Smart leak monitoring for hazardous-chemical tank farms at the {s}",
  "储罐区需要光学气体成像与激光甲烷遥测相结合的泄漏监测，并与园区应急平台联动。","Tank farms need leak monitoring that combines optical gas imaging with laser methane detection and links to the park's emergency platform.",7,200,600,[CZ,SY]),
 ("green_chemicals","资源循环 / Resource recycling","{s}废盐资源化利用","Turning waste salt into resources at the {s}",
  "化工副产杂盐年产量约 3 万吨，需要低成本提纯与资源化技术，产品达到工业盐标准。","Chemical processes yield about 30,000 t of mixed waste salt a year; we need low-cost purification so that the product meets industrial-salt standards.",6,500,1500,[CZ,SY,XJ]),
 ("green_chemicals","节能降碳 / Energy and carbon","{s}二氧化碳捕集与利用","CO₂ capture and utilisation at the {s}",
  "希望对工艺尾气中的二氧化碳进行捕集，并转化为碳酸盐或化学品，寻求能耗低于 2.5 GJ/t 的捕集技术。","We want to capture CO₂ from process off-gas and convert it into carbonates or chemicals, with capture energy below 2.5 GJ/t.",5,1000,4000,[SY,CZ]),
 ("green_chemicals","皮革清洁生产 / Clean leather","{s}皮革无铬鞣制与废水处理","Chrome-free tanning and wastewater treatment for {s}",
  "推动皮革企业采用无铬鞣制工艺，并对含盐、高氨氮废水进行集中处理回用。","We want tanneries to adopt chrome-free tanning and to treat and reuse saline, high-ammonia wastewater centrally.",6,300,1000,[XJ]),
 ("membrane_materials","水处理 / Water treatment","{s}饮用水深度处理超滤膜工艺","Ultrafiltration for advanced drinking-water treatment at {s}",
  "现有常规工艺难以应对季节性藻类与微污染，拟采用浸没式超滤膜组合工艺，规模 10 万吨/日。","Conventional treatment struggles with seasonal algae and micro-pollutants; we plan a 100,000 t/day submerged-ultrafiltration process.",8,2000,6000,[HS]),
 ("membrane_materials","废水回用 / Wastewater reuse","{s}高盐废水膜法零排放","Membrane-based zero liquid discharge of high-salinity wastewater at the {s}",
  "需要反渗透与电渗析组合的高盐废水浓缩技术，回收率 95% 以上，膜污染可控。","We need concentration of high-salinity wastewater combining reverse osmosis and electrodialysis, with over 95% recovery and controllable fouling.",6,800,2500,[CZ,SY,("hengshui-water","衡水工业新区污水厂","Hengshui industrial wastewater plant","hebei.hengshui")]),
 ("membrane_materials","膜材料制造 / Membrane manufacturing","{s}丝网企业转型膜支撑材料","Wire-mesh makers moving into membrane support materials in {s}",
  "园区丝网企业希望转型生产金属膜支撑体与过滤材料，寻求烧结金属网与复合膜制备技术合作。","Wire-mesh firms in the park want to make metal membrane supports and filter media, and seek partners for sintered mesh and composite-membrane technology.",5,200,800,[AP]),
 ("space_info","卫星遥感 / Remote sensing","{s}耕地与违建卫星遥感监测","Satellite monitoring of farmland and illegal construction in {s}",
  "需要基于高分辨率遥感影像的耕地变化与违章建筑自动识别，月度更新，识别准确率 90% 以上。","We need automatic detection of farmland change and illegal buildings from high-resolution imagery, updated monthly with over 90% accuracy.",7,100,400,[DZ,STD,XA]),
 ("space_info","北斗应用 / BeiDou","{s}北斗高精度定位与形变监测","BeiDou precise positioning and deformation monitoring for {s}",
  "对尾矿库、边坡或桥梁进行毫米级北斗形变监测，实时预警并与应急平台对接。","Millimetre-level BeiDou monitoring of deformation at tailings dams, slopes or bridges, with real-time warnings linked to the emergency platform.",7,100,300,[KY,QHD,XAC]),
 ("space_info","低空经济 / Low-altitude economy","{s}无人机巡检与低空物流","Drone inspection and low-altitude logistics in {s}",
  "规划无人机起降网络，用于管线巡检、应急物资投送与城市巡查，需要空域管理与调度平台。","We are planning a drone network for pipeline inspection, emergency deliveries and city patrols, and need airspace management and dispatch.",6,300,1000,[XAC,ZJK,CD]),
 ("ai","工业大模型 / Industrial AI","{s}设备运维知识问答大模型","A large-model assistant for equipment maintenance at the {s}",
  "将设备手册、检修规程与历史工单构建为知识库，支持一线人员用自然语言查询故障原因与处置步骤，须私有化部署。","Turn manuals, maintenance procedures and work orders into a knowledge base that front-line staff can query in plain language for causes and fixes; it must run on premises.",6,100,400,[JD,TS,GRID]),
 ("ai","机器视觉 / Machine vision","{s}安全帽与危险区域智能识别","Hard-hat and danger-zone detection at the {s}",
  "利用现有监控摄像头实现未戴安全帽、进入危险区域、烟火等行为的实时识别与告警，误报率低于 5%。","Use existing cameras to spot missing hard hats, entry into danger zones, smoke and fire in real time with false alarms below 5%.",8,50,200,[CZ,KY,HD]),
 ("ai","质量检测 / Quality inspection","{s}药品包装视觉检测","Vision inspection of drug packaging at the {s}",
  "泡罩包装与说明书需要在线视觉检测，识别缺粒、破损与印刷错误，速度不低于 300 板/分钟。","Blister packs and leaflets need online vision inspection for missing tablets, damage and misprints at 300 blisters a minute or more.",7,100,300,[PH]),
 ("digital_governance","城市治理 / Urban governance","{s}城市事件智能发现与派单","Automatic detection and dispatch of urban incidents in {s}",
  "通过视频与物联网感知自动发现占道经营、垃圾堆放、井盖缺失等事件，自动派单并跟踪处置闭环。","Use video and IoT sensing to find street vending, dumped rubbish and missing manhole covers, dispatch them automatically and track them to closure.",7,200,600,[DZ,XA,("dingzhou-city","定州市城区","central Dingzhou","hebei.dingzhou")]),
 ("digital_governance","数字孪生 / Digital twin","{s}数字孪生城市运营平台","Digital-twin city operations platform for {s}",
  "基于城市信息模型（CIM）整合地上地下设施数据，实现管网、交通、能源的一图运行与仿真推演。","Build a CIM-based platform that combines above- and below-ground assets to run pipes, traffic and energy on one map and simulate scenarios.",7,1000,3000,[XAC,XA]),
 ("digital_governance","政务服务 / Government services","{s}政务服务智能问答与一网通办","Intelligent Q&A and one-stop online services for {s}",
  "面向企业与群众提供政策智能问答、材料预审与办件进度查询，支持方言语音输入。","Offer firms and citizens policy Q&A, pre-checks of documents and case tracking, with dialect speech input.",7,100,300,[STD,DZ]),
 ("digital_governance","文旅服务 / Cultural tourism","{s}古建筑数字化保护与智慧导览","Digital protection of historic buildings and smart guiding at {s}",
  "对古建筑进行三维扫描与结构健康监测，并提供 AR 导览和客流预警。","3D-scan historic buildings, monitor their structural health, and offer AR guides and crowd warnings.",6,200,600,[ZD]),
 ("new_energy","风光储 / Wind, solar and storage","{s}新能源场站储能调峰","Energy storage for peak regulation at new-energy stations in {s}",
  "大规模风电光伏需要配置储能以平抑波动，寻求长时储能（4 小时以上）的液流电池或压缩空气技术。","Large wind and solar farms need storage to smooth output; we seek long-duration (4 h or more) flow batteries or compressed-air storage.",7,5000,20000,[ZJK]),
 ("new_energy","氢能 / Hydrogen","{s}可再生能源制氢与加氢站","Renewable hydrogen production and refuelling in {s}",
  "利用弃风弃光电解水制氢，配套加氢站服务重卡与公交，要求电解槽效率与动态响应满足波动电源。","Use curtailed wind and solar power for electrolysis and build refuelling for heavy trucks and buses; electrolysers must cope with variable power.",6,3000,10000,[ZJK,JD]),
 ("new_energy","园区能源 / Park energy","{s}园区分布式光伏与能碳管理","Distributed solar and energy-carbon management for the {s}",
  "为园区企业屋顶建设分布式光伏，并搭建能耗与碳排放监测平台，支撑绿电交易。","Put solar on the roofs of park firms and build energy and carbon monitoring to support green-power trading.",8,500,2000,[AP,CZ,BD]),
 ("biomedicine","创新药 / New drugs","{s}连续流反应技术在原料药生产中的应用","Continuous-flow reactions for API production at the {s}",
  "希望将高危硝化、重氮化反应改为连续流微反应工艺，提高安全性与收率。","We want to move hazardous nitration and diazotisation to continuous-flow micro-reactors for safety and yield.",6,500,1500,[PH]),
 ("biomedicine","生物制造 / Biomanufacturing","{s}合成生物学菌种改造","Strain engineering by synthetic biology for the {s}",
  "寻求高产菌株构建与发酵工艺优化合作，目标产物效价提升 30% 以上。","We seek partners to build high-yield strains and optimise fermentation, raising titre by more than 30%.",5,300,1000,[PH]),
 ("biomedicine","医疗器械 / Medical devices","{s}基层医疗 AI 辅助诊断","AI-assisted diagnosis for primary care in {s}",
  "县乡医疗机构需要影像与心电 AI 辅助诊断，降低漏诊，须取得医疗器械注册证。","County and township clinics need AI-assisted reading of images and ECGs to reduce missed diagnoses; the products must be registered medical devices.",8,100,400,[STD,DZ]),
 ("modern_agriculture","智慧农业 / Smart farming","{s}设施农业环境智能调控","Smart climate control for greenhouses at the {s}",
  "山区日光温室需要温湿度、光照与水肥的智能调控，节水 30% 以上，适合小农户使用。","Mountain solar greenhouses need smart control of temperature, humidity, light and fertigation, saving over 30% water and simple enough for smallholders.",7,50,200,[CD]),
 ("modern_agriculture","冷链物流 / Cold chain","{s}农产品产地预冷与冷链追溯","Field pre-cooling and cold-chain traceability at the {s}",
  "需要移动式预冷设备与全程温度追溯系统，降低果蔬损耗率到 5% 以下。","We need mobile pre-cooling units and end-to-end temperature traceability, cutting produce losses below 5%.",7,100,300,[CD]),
]

TJ_PARK=("baoding-htz","保定中关村创新中心","Baoding Zhongguancun Innovation Centre","hebei.baoding")
NEEDS += [
 ("robotics","特种机器人 / Special robots","{s}高空作业与清洗机器人","Working-at-height and cleaning robots for the {s}",
  "筒仓、储罐和高大厂房的内壁清理与检查依赖人工高空作业，希望引入爬壁或绳驱机器人完成清洗、测厚与拍照记录。","Cleaning and inspecting silos, tanks and tall halls needs people working at height; we want wall-climbing or cable-driven robots to clean, gauge thickness and photograph.",6,100,400,[SY,JD,HH]),
 ("robotics","焊接机器人 / Welding robots","{s}中厚板智能焊接机器人工作站","Intelligent welding cells for thick plate at the {s}",
  "钢结构与重型装备中厚板焊接需要免示教的智能焊接机器人，能根据三维扫描自动规划焊缝路径。","Thick-plate welding for steel structures and heavy equipment needs robots that plan seams from 3D scans without teaching.",7,150,500,[HD,ZX,("jidong-steel","冀东钢铁钢结构公司","Jidong steel-structure company","hebei.tangshan")]),
 ("nev_icv","充换电 / Charging and swapping","{s}重卡换电站建设与运营","Battery-swap stations for heavy trucks at the {s}",
  "短倒运输重卡电动化需要换电站，单次换电 5 分钟以内，并与车辆调度系统联动。","Electrifying short-haul heavy trucks needs swap stations that swap a battery in under 5 minutes and link to truck dispatch.",7,1500,4000,[TS,JD,HH]),
 ("nev_icv","测试验证 / Testing","{s}智能网联汽车封闭测试场","Closed test ground for connected and automated vehicles in {s}",
  "建设覆盖城市道路、乡村道路与高速场景的封闭测试场，支持 V2X 与自动驾驶功能测试。","Build a closed test ground covering city, rural and highway scenes for V2X and automated-driving tests.",7,3000,8000,[BD,XA,ZX]),
 ("ai","智能调度 / Intelligent scheduling","{s}生产计划与物流智能排程","Intelligent production and logistics scheduling at the {s}",
  "多品种小批量生产导致排产困难，需要基于运筹优化的智能排程系统，准时交付率提升到 95% 以上。","High-mix, low-volume production is hard to plan; we need optimisation-based scheduling that lifts on-time delivery above 95%.",6,100,400,[ZX,HD,PH]),
 ("space_info","应急管理 / Emergency management","{s}洪涝灾害空天地一体化监测","Space-air-ground monitoring of floods in {s}",
  "汛期需要卫星、无人机与地面水位站联合监测积水与堤防险情，形成分钟级预警。","In the flood season we need satellites, drones and gauges to monitor waterlogging and levee hazards with warnings within minutes.",6,200,800,[XA,STD,("zjk-drc","张家口怀来县","Huailai County, Zhangjiakou","hebei.zhangjiakou")]),
 ("digital_governance","基层治理 / Community governance","{s}社区网格化治理与民生诉求分析","Grid-based community governance and analysis of citizen requests in {s}",
  "整合 12345 热线与网格员上报数据，利用语义分析识别高频诉求与风险点，辅助决策。","Combine 12345 hotline and grid-worker reports, and use text analysis to find frequent requests and risks for decision-makers.",7,100,300,[DZ,XA,("dingzhou-city","定州市北城区","north district of Dingzhou","hebei.dingzhou")]),
 ("green_chemicals","智能工厂 / Smart plant","{s}化工装置先进过程控制","Advanced process control for chemical units at the {s}",
  "精馏与反应装置依赖人工调节，希望实施先进过程控制（APC）与实时优化，降低能耗 5% 以上。","Distillation and reaction units are tuned by hand; we want advanced process control and real-time optimisation that saves at least 5% energy.",7,300,800,[CZ,SY,("cangzhou-chem","沧州渤海新区园区","Bohai New Area park, Cangzhou","hebei.cangzhou")]),
 ("membrane_materials","气体分离 / Gas separation","{s}膜法氢气回收与提纯","Membrane recovery and purification of hydrogen at the {s}",
  "工艺弛放气中含有大量氢气，需要耐压、耐污染的气体分离膜进行回收，纯度 99% 以上。","Purge gas contains much hydrogen; we need pressure- and fouling-resistant gas-separation membranes to recover it at over 99% purity.",6,500,1500,[CZ,SY,JD]),
 ("new_energy","节能改造 / Energy retrofit","{s}工业余热供暖与热泵改造","Industrial waste heat for district heating and heat pumps in {s}",
  "将工业余热用于城区集中供暖，配套大型热泵提升品位，替代燃煤锅炉。","Use industrial waste heat for district heating, upgraded by large heat pumps, to replace coal boilers.",7,2000,6000,[JD,HD,("zjk-drc","张家口市区","Zhangjiakou city","hebei.zhangjiakou")]),
 ("biomedicine","中医药 / Traditional medicine","{s}中药材种植与质量追溯","Cultivation and quality traceability of medicinal herbs at the {s}",
  "道地药材需要标准化种植、有效成分快速检测与全程追溯，支撑中药企业原料保障。","Authentic herbs need standard cultivation, fast testing of active ingredients and full traceability to secure supply for medicine makers.",6,100,400,[CD,PH,("chengde-agri","承德隆化基地","Chengde Longhua farm","hebei.chengde")]),
 ("modern_agriculture","农业机械 / Farm machinery","{s}丘陵山区小型智能农机","Small smart farm machines for hilly areas at the {s}",
  "丘陵山区地块小、坡度大，需要小型化、可遥控或自动驾驶的播种、植保与收获机械。","Hillside plots are small and steep; we need compact machines for sowing, spraying and harvesting that can be remote-controlled or self-driving.",6,100,300,[CD,("chengde-agri","承德丰宁基地","Chengde Fengning farm","hebei.chengde"),("zjk-drc","张家口蔚县","Yu County, Zhangjiakou","hebei.zhangjiakou")]),
]
