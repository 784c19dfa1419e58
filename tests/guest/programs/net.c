/* net: the network start-up a title runs at boot, on a console whose cable
 * is unplugged: XNet and Winsock start, the title address has no IP, the
 * link is down, a UDP socket on the system-link port takes broadcast and
 * nonblocking mode, a receive would block, a broadcast finds the network
 * down, select waits out 10 ms with nothing ready, and everything closes. */
#include "xenact.h"

#define SYSTEM_LINK_PORT 3074

int main(void) {
    xt_program = "net";

    XNET_STARTUP_PARAMS params;
    memset(&params, 0, sizeof params);
    params.size = sizeof params;
    xt_check_eq("XNetStartup", NetDll_XNetStartup(XNCALLER_TITLE, &params), 0);

    WSADATA wsa;
    memset(&wsa, 0xAA, sizeof wsa);
    s32 started = NetDll_WSAStartup(XNCALLER_TITLE, 0x0202, &wsa);
    xt_check("WSAStartup", started == 0 && wsa.version == 0x0202 && wsa.high_version == 0x0202);

    XNADDR addr;
    memset(&addr, 0xAA, sizeof addr);
    u32 status = NetDll_XNetGetTitleXnAddr(XNCALLER_TITLE, &addr);
    u8 no_mac[6] = {0, 0, 0, 0, 0, 0};
    xt_check("title address is ethernet only",
             status == XNET_GET_XNADDR_ETHERNET && addr.ina == 0 && addr.ina_online == 0 &&
                 memcmp(addr.enet, no_mac, 6) != 0);
    xt_check_eq("link status", NetDll_XNetGetEthernetLinkStatus(XNCALLER_TITLE), 0);

    SOCKET s = NetDll_socket(XNCALLER_TITLE, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    xt_check("UDP socket", s != INVALID_SOCKET);
    u32 one = 1;
    xt_check_eq("broadcast", NetDll_setsockopt(XNCALLER_TITLE, s, SOL_SOCKET, SO_BROADCAST, &one, 4), 0);
    SOCKADDR_IN local;
    memset(&local, 0, sizeof local);
    local.family = AF_INET;
    local.port = SYSTEM_LINK_PORT;
    local.addr = INADDR_ANY;
    xt_check_eq("bind system link port", NetDll_bind(XNCALLER_TITLE, s, &local, sizeof local), 0);
    xt_check_eq("nonblocking", NetDll_ioctlsocket(XNCALLER_TITLE, s, FIONBIO, &one), 0);

    u8 packet[64];
    SOCKADDR_IN from;
    u32 from_length = sizeof from;
    s32 got = NetDll_recvfrom(XNCALLER_TITLE, s, packet, sizeof packet, 0, &from, &from_length);
    xt_check("recvfrom would block", got == SOCKET_ERROR && NetDll_WSAGetLastError() == WSAEWOULDBLOCK);

    SOCKADDR_IN everyone = local;
    everyone.addr = INADDR_BROADCAST;
    s32 sent = NetDll_sendto(XNCALLER_TITLE, s, packet, 16, 0, &everyone, sizeof everyone);
    xt_check("sendto finds the network down", sent == SOCKET_ERROR && NetDll_WSAGetLastError() == WSAENETDOWN);

    FD_SET readable;
    readable.count = 1;
    readable.sockets[0] = s;
    TIMEVAL ten_ms = {0, 10000};
    s32 ready = NetDll_select(XNCALLER_TITLE, 0, &readable, NULL, NULL, &ten_ms);
    xt_check("select times out", ready == 0 && readable.count == 0);

    xt_check_eq("closesocket", NetDll_closesocket(XNCALLER_TITLE, s), 0);
    xt_check("closed socket is gone",
             NetDll_closesocket(XNCALLER_TITLE, s) == SOCKET_ERROR && NetDll_WSAGetLastError() == WSAENOTSOCK);
    xt_check_eq("WSACleanup", NetDll_WSACleanup(XNCALLER_TITLE), 0);
    xt_check_eq("XNetCleanup", NetDll_XNetCleanup(XNCALLER_TITLE, NULL), 0);
    return xt_finish();
}
