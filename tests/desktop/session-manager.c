/* A minimal X session manager (XSMP over ICE, with libSM) for tests: the desktop session ending, as GNOME's or
 * KDE's session manager ends it. It listens, prints "SESSION_MANAGER=<ids>" on stdout, and then:
 *   - prints "registered" when a client registers;
 *   - on a line "shutdown" on stdin, asks every client to save itself for a shutdown as KDE's session manager
 *     does at logout (SaveYourself: save both, shutdown, no interaction; Qt emits commitDataRequest), prints
 *     "save-yourself-done <ok>" as each answers, then tells it to die (Qt then ends the application);
 *   - prints "closed" when a client closes its connection; ends at end of input.
 * No authentication: a host-based check lets local clients in (no ICEauthority file is written). */
#include <X11/ICE/ICElib.h>
#include <X11/SM/SMlib.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CLIENTS 8
#define MAX_LISTENERS 8

static SmsConn clients[MAX_CLIENTS];
static IceConn connections[MAX_CLIENTS];
static int connectionCount;

static Bool allowLocal(char *hostName)
{
    (void)hostName;
    return True;
}

static Status registerClient(SmsConn conn, SmPointer data, char *previousId)
{
    (void)data;
    char *id = SmsGenerateClientID(conn);
    const Status status = SmsRegisterClientReply(conn, id);
    free(id);
    free(previousId);
    for (int i = 0; i < MAX_CLIENTS; ++i) {
        if (!clients[i]) {
            clients[i] = conn;
            break;
        }
    }
    printf("registered\n");
    fflush(stdout);
    return status;
}

static void interactRequest(SmsConn conn, SmPointer data, int dialogType)
{
    (void)data;
    (void)dialogType;
    SmsInteract(conn);
}

static void interactDone(SmsConn conn, SmPointer data, Bool cancelShutdown)
{
    (void)conn;
    (void)data;
    printf("interact-done %d\n", cancelShutdown ? 1 : 0);
    fflush(stdout);
}

static void saveYourselfRequest(SmsConn conn, SmPointer data, int saveType, Bool shutdown, int interactStyle,
                                Bool fast, Bool global)
{
    (void)conn, (void)data, (void)saveType, (void)shutdown, (void)interactStyle, (void)fast, (void)global;
}

static void saveYourselfPhase2Request(SmsConn conn, SmPointer data)
{
    (void)data;
    SmsSaveYourselfPhase2(conn);
}

static void saveYourselfDone(SmsConn conn, SmPointer data, Bool success)
{
    (void)data;
    printf("save-yourself-done %d\n", success ? 1 : 0);
    fflush(stdout);
    SmsSaveComplete(conn);
    SmsDie(conn);
}

static void forget(SmsConn conn)
{
    for (int i = 0; i < MAX_CLIENTS; ++i) {
        if (clients[i] == conn)
            clients[i] = NULL;
    }
}

/* A client gone without closing (killed): its session-management state goes before its connection. */
static void forgetClientOn(IceConn ice)
{
    for (int i = 0; i < MAX_CLIENTS; ++i) {
        if (clients[i] && SmsGetIceConnection(clients[i]) == ice) {
            SmsCleanUp(clients[i]);
            clients[i] = NULL;
        }
    }
}

/* libICE's default handler exits the process; a client that dies is reported by IceProcessMessages instead. */
static void ignoreIoError(IceConn ice)
{
    (void)ice;
}

static void closeConnection(SmsConn conn, SmPointer data, int count, char **reasons)
{
    (void)data;
    IceConn ice = SmsGetIceConnection(conn);
    SmFreeReasons(count, reasons);
    forget(conn);
    SmsCleanUp(conn);
    IceSetShutdownNegotiation(ice, False);
    IceCloseConnection(ice);
    for (int i = 0; i < connectionCount; ++i) {
        if (connections[i] == ice)
            connections[i] = connections[--connectionCount];
    }
    printf("closed\n");
    fflush(stdout);
}

static void setProperties(SmsConn conn, SmPointer data, int count, SmProp **properties)
{
    (void)conn, (void)data;
    for (int i = 0; i < count; ++i)
        SmFreeProperty(properties[i]);
    free(properties);
}

static void deleteProperties(SmsConn conn, SmPointer data, int count, char **names)
{
    (void)conn, (void)data;
    for (int i = 0; i < count; ++i)
        free(names[i]);
    free(names);
}

static void getProperties(SmsConn conn, SmPointer data)
{
    (void)data;
    SmsReturnProperties(conn, 0, NULL);
}

static Status newClient(SmsConn conn, SmPointer data, unsigned long *mask, SmsCallbacks *callbacks, char **failure)
{
    (void)conn, (void)data, (void)failure;
    memset(callbacks, 0, sizeof *callbacks);
    callbacks->register_client.callback = registerClient;
    callbacks->interact_request.callback = interactRequest;
    callbacks->interact_done.callback = interactDone;
    callbacks->save_yourself_request.callback = saveYourselfRequest;
    callbacks->save_yourself_phase2_request.callback = saveYourselfPhase2Request;
    callbacks->save_yourself_done.callback = saveYourselfDone;
    callbacks->close_connection.callback = closeConnection;
    callbacks->set_properties.callback = setProperties;
    callbacks->delete_properties.callback = deleteProperties;
    callbacks->get_properties.callback = getProperties;
    *mask = SmsRegisterClientProcMask | SmsInteractRequestProcMask | SmsInteractDoneProcMask
          | SmsSaveYourselfRequestProcMask | SmsSaveYourselfP2RequestProcMask | SmsSaveYourselfDoneProcMask
          | SmsCloseConnectionProcMask | SmsSetPropertiesProcMask | SmsDeletePropertiesProcMask
          | SmsGetPropertiesProcMask;
    return 1;
}

static void shutDownClients(void)
{
    for (int i = 0; i < MAX_CLIENTS; ++i) {
        if (clients[i])
            SmsSaveYourself(clients[i], SmSaveBoth, True, SmInteractStyleNone, False);
    }
}

int main(void)
{
    char error[256];
    if (!SmsInitialize("presently-test-session-manager", "1.0", newClient, NULL, allowLocal, sizeof error, error)) {
        fprintf(stderr, "session-manager: %s\n", error);
        return 1;
    }
    IceSetIOErrorHandler(ignoreIoError);
    setvbuf(stdin, NULL, _IONBF, 0); /* no line left behind in stdio's buffer when poll() looks at the fd */
    int listenerCount = 0;
    IceListenObj *listeners = NULL;
    if (!IceListenForConnections(&listenerCount, &listeners, sizeof error, error) || listenerCount > MAX_LISTENERS) {
        fprintf(stderr, "session-manager: %s\n", error);
        return 1;
    }
    for (int i = 0; i < listenerCount; ++i)
        IceSetHostBasedAuthProc(listeners[i], allowLocal);
    char *ids = IceComposeNetworkIdList(listenerCount, listeners);
    printf("SESSION_MANAGER=%s\n", ids);
    fflush(stdout);
    free(ids);

    for (;;) {
        struct pollfd fds[1 + MAX_LISTENERS + MAX_CLIENTS];
        int count = 0;
        fds[count++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        for (int i = 0; i < listenerCount; ++i) /* no new connection while full: not polled, not spinning */
            fds[count++] = (struct pollfd){.fd = IceGetListenConnectionNumber(listeners[i]),
                                           .events = connectionCount < MAX_CLIENTS ? POLLIN : 0};
        for (int i = 0; i < connectionCount; ++i)
            fds[count++] = (struct pollfd){.fd = IceConnectionNumber(connections[i]), .events = POLLIN};
        if (poll(fds, (nfds_t)count, -1) < 0)
            return 1;

        if (fds[0].revents) {
            char line[64];
            if (!fgets(line, sizeof line, stdin))
                return 0;
            if (strncmp(line, "shutdown", 8) == 0)
                shutDownClients();
        }
        for (int i = 0; i < listenerCount; ++i) {
            if (!(fds[1 + i].revents & POLLIN))
                continue;
            IceAcceptStatus status;
            IceConn conn = IceAcceptConnection(listeners[i], &status);
            if (!conn)
                continue;
            while (IceConnectionStatus(conn) == IceConnectPending)
                IceProcessMessages(conn, NULL, NULL);
            if (IceConnectionStatus(conn) == IceConnectAccepted)
                connections[connectionCount++] = conn;
            else
                IceCloseConnection(conn);
        }
        /* Backwards: a connection closed while processing is replaced by the last one. */
        for (int i = count - 1; i >= 1 + listenerCount; --i) {
            if (!fds[i].revents)
                continue;
            const int index = i - 1 - listenerCount;
            if (index >= connectionCount)
                continue;
            IceConn conn = connections[index];
            if (IceProcessMessages(conn, NULL, NULL) == IceProcessMessagesIOError) {
                forgetClientOn(conn);
                IceSetShutdownNegotiation(conn, False);
                IceCloseConnection(conn);
                connections[index] = connections[--connectionCount];
                printf("closed\n");
                fflush(stdout);
            }
        }
    }
}
